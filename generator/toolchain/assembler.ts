// keystone behind a small typed interface. Assembly is fed as a list of source lines
// that remember their file and line, so every error reads `stubs-asm/<file>:<line>: …`.
import { createRequire } from 'node:module';
import type { KsEngine, KsModule, KsResult } from '@alexaltea/keystone-js';
import { GenError } from '../errors.ts';

/** One line of assembly source and where it came from. */
export interface SourceLine {
  file: string;
  line: number;
  text: string;
}

/** How keystone must be configured for one instruction set. */
export interface AsmMode {
  arch: 'ARM64' | 'X86';
  mode: 'LITTLE_ENDIAN' | '64' | '32' | '16';
  syntax?: 'ATT' | 'INTEL';
}

let modulePromise: Promise<KsModule> | undefined;
/**
 * Loaded on first use: commands that assemble nothing skip its load. Through require():
 * an ES import of this CommonJS file makes Node scan it for export names first.
 */
function keystone(): Promise<KsModule> {
  modulePromise ??= (createRequire(import.meta.url)('@alexaltea/keystone-js') as () => Promise<KsModule>)();
  return modulePromise;
}

/** Starts compiling keystone's WebAssembly, which V8 does off the main thread, ahead of use. */
export function preloadKeystone(): void {
  keystone().catch(() => undefined); // a failure is reported where keystone is used
}

function constant(ks: KsModule, name: string): number {
  const v = ks[name];
  if (typeof v !== 'number') throw new Error(`keystone has no constant ${name}`);
  return v;
}

async function engine(mode: AsmMode): Promise<{ ks: KsModule; e: KsEngine }> {
  const ks = await keystone();
  const e = new ks.Keystone(constant(ks, `ARCH_${mode.arch}`), constant(ks, `MODE_${mode.mode}`));
  if (mode.syntax) e.option(constant(ks, 'OPT_SYNTAX'), constant(ks, `OPT_SYNTAX_${mode.syntax}`));
  return { ks, e };
}

function joinSource(lines: SourceLine[]): string {
  return lines.map((l) => l.text).join('\n') + '\n';
}

/**
 * keystone-js passes the source to ks_asm as a 'string', which emscripten copies onto
 * its small stack: beyond about 76 KB of text it crashes. We copy the source to the
 * heap ourselves and call ks_asm with a pointer; otherwise the same steps as its asm().
 */
function asmFromHeap(ks: KsModule, e: KsEngine, code: string, base: bigint): KsResult {
  const handle = ks.getValue(e.handle_ptr, '*');
  const bytes = Buffer.from(code, 'utf8');
  const src = ks._malloc(bytes.length + 1);
  bytes.forEach((b, i) => ks.setValue(src + i, b, 'i8'));
  ks.setValue(src + bytes.length, 0, 'i8');
  const [encPtr, sizePtr, countPtr] = [ks._malloc(4), ks._malloc(4), ks._malloc(4)];
  try {
    const ret = ks.ccall('ks_asm', 'number', ['pointer', 'pointer', 'number', 'pointer', 'pointer', 'pointer'],
      [handle, src, base, encPtr, sizePtr, countPtr]);
    const enc = ks.getValue(encPtr, 'i32');
    const size = ks.getValue(sizePtr, 'i32');
    const mc = new Uint8Array(size);
    for (let i = 0; i < size; i++) mc[i] = ks.getValue(enc + i, 'i8') & 0xff;
    ks.ccall('ks_free', 'void', ['pointer'], [enc]);
    return { mc, count: ks.getValue(countPtr, 'i32'), failed: ret !== 0 };
  } finally {
    [src, encPtr, sizePtr, countPtr].forEach((p) => ks._free(p));
  }
}

/**
 * Finds the first line that keystone rejects for a reason other than a symbol defined
 * later, by assembling prefixes. Only runs after a failure.
 */
function locate(ks: KsModule, e: KsEngine, lines: SourceLine[]): { at: SourceLine; code: number } {
  const missing = constant(ks, 'ERR_ASM_SYMBOL_MISSING');
  const hardError = (n: number): number => {
    const r = asmFromHeap(ks, e, joinSource(lines.slice(0, n)), 0n);
    return r.failed && e.errno() !== missing ? e.errno() : 0;
  };
  // Once a prefix holds a real error every longer one does: binary search for the first.
  let [lo, hi] = [1, lines.length];
  if (!hardError(hi)) return { at: lines[hi - 1], code: missing };
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hardError(mid)) hi = mid;
    else lo = mid + 1;
  }
  return { at: lines[lo - 1], code: hardError(lo) };
}

/** Assembles the lines as one unit placed at `base`; throws a GenError naming file:line. */
export async function assemble(lines: SourceLine[], mode: AsmMode, base: bigint): Promise<Uint8Array> {
  const { ks, e } = await engine(mode);
  try {
    let r;
    try {
      r = asmFromHeap(ks, e, joinSource(lines), base);
    } catch (err) {
      modulePromise = undefined; // a trapped WASM instance is not reused
      throw new GenError(`keystone crashed assembling ${lines[0]?.file ?? 'the unit'} (${String(err)}); directives such as .text/.section are not supported`);
    }
    // keystone sometimes drops a line it cannot encode and reports success (`ljmpl`)
    if (!r.failed && (r.mc.length > 0 || !lines.some((l) => l.text.trim()))) return r.mc;
    if (!r.failed) throw new GenError(`${lines[0]?.file ?? 'unit'}: keystone produced no bytes and no error`);
    const { at, code } = locate(ks, e, lines);
    throw new GenError(`${at.file}:${at.line}: ${ks.strerror(code)}: ${at.text.trim()}`);
  } finally {
    e.close();
  }
}

/** Reads an assembly file into source lines tagged with its display name. */
export function toLines(file: string, text: string): SourceLine[] {
  return text.split('\n').map((t, i) => ({ file, line: i + 1, text: t }));
}
