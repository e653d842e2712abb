// keystone behind a small typed interface. Assembly is fed as a list of source lines
// that remember their file and line, so every error reads `stubs-asm/<file>:<line>: …`.
import MKeystone, { type KsEngine, type KsModule } from '@alexaltea/keystone-js';
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
function keystone(): Promise<KsModule> {
  modulePromise ??= MKeystone();
  return modulePromise;
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
 * Finds the first line that keystone rejects for a reason other than a symbol defined
 * later, by assembling growing prefixes. Only runs after a failure, so its cost is fine.
 */
function locate(ks: KsModule, e: KsEngine, lines: SourceLine[]): { at: SourceLine; code: number } {
  const missing = constant(ks, 'ERR_ASM_SYMBOL_MISSING');
  for (let n = 1; n <= lines.length; n++) {
    const r = e.asm(joinSource(lines.slice(0, n)), 0n);
    if (r.failed && e.errno() !== missing) return { at: lines[n - 1], code: e.errno() };
  }
  return { at: lines[lines.length - 1], code: missing };
}

/** Assembles the lines as one unit placed at `base`; throws a GenError naming file:line. */
export async function assemble(lines: SourceLine[], mode: AsmMode, base: bigint): Promise<Uint8Array> {
  const { ks, e } = await engine(mode);
  try {
    let r;
    try {
      r = e.asm(joinSource(lines), base);
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
