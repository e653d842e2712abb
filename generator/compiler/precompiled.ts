// The front end's result for the blob's TypeScript half (templates/main.ts), saved by
// the build (npm run build) under dist/. Type-checking and lowering templates/ is most of
// a generation's time, and loading ts-morph most of the rest, so `gen-purgatory --arch A`
// starts from this copy while it is current: every file the front end read is hashed
// into it, and so is the compiler's own code. Any difference, and the front end runs.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Program } from './ir.ts';
import { PACKAGE_ROOT, packagePath } from '../paths.ts';

/** What generation needs from the front end: the program and the entry module's exports. */
export interface FrontEnd {
  program: Program;
  exported: string[];
}

interface Saved extends FrontEnd {
  /** The compiler's identity when saved (compilerIdentity()). */
  compiler: string;
  /** sha256 of every file the front end read, by path from the package root. */
  files: Record<string, string>;
}

const SAVED_FILE = packagePath('dist', 'precompiled', 'templates-main.json');
const COMPILER_DIR = dirname(fileURLToPath(import.meta.url));

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : /\.(ts|js)$/.test(e.name) ? [path] : [];
  });
}

/** The compiler's code (this directory, as it runs: sources or build) and ts-morph's version. */
export function compilerIdentity(): string {
  const h = createHash('sha256');
  for (const file of filesUnder(COMPILER_DIR).sort()) h.update(`${relative(COMPILER_DIR, file)}\0`).update(readFileSync(file));
  const tsMorph = createRequire(import.meta.url)('ts-morph/package.json') as { version: string };
  return h.update(`ts-morph ${tsMorph.version}`).digest('hex');
}

/** bigint and byte arrays, which JSON has no form for, as tagged objects. */
function encode(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (typeof original === 'bigint') return { $bigint: original.toString() };
  if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
  return value;
}

/** encode() undone, in place; faster than a JSON.parse reviver, which is called for every value. */
function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i]);
    return value;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
  if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
  for (const k in o) o[k] = decode(o[k]);
  return o;
}

/**
 * Saves the front end's result; `read` are the files it read (paths from the package
 * root). Written through a rename, so a reader never sees half a file.
 */
export function savePrecompiled(front: FrontEnd, read: string[], file: string = SAVED_FILE): void {
  const files = Object.fromEntries(read.map((f) => [f, sha256(readFileSync(join(PACKAGE_ROOT, f)))]));
  const saved: Saved = { compiler: compilerIdentity(), files, ...front };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(saved, encode));
  renameSync(`${file}.tmp`, file);
}

/**
 * The saved result if the compiler and every file it came from are unchanged.
 * GEN_PURGATORY_PRECOMPILED=0 ignores it (the benchmark times the front end so).
 */
export function loadPrecompiled(file: string = SAVED_FILE): FrontEnd | undefined {
  if (process.env.GEN_PURGATORY_PRECOMPILED === '0') return undefined;
  let saved: Saved;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
  } catch {
    return undefined; // none saved (never built, or built from sources that did not compile)
  }
  if (saved.compiler !== compilerIdentity()) return undefined;
  for (const [f, hash] of Object.entries(saved.files)) {
    let now: string;
    try {
      now = sha256(readFileSync(join(PACKAGE_ROOT, f)));
    } catch {
      return undefined;
    }
    if (now !== hash) return undefined;
  }
  return { program: decode(saved.program) as Program, exported: saved.exported };
}
