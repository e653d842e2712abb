// Glue for the compiler: source → diagnostics or assembly, and the two ways to run a
// program (`compile --run` and `--host`, and the differential tests).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GenError } from '../errors.ts';
import type { ArchName } from '../targets/target.ts';
import { targetByName } from '../targets/index.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { Compiler, type Compiled } from './frontend/compile.ts';
import { BACKENDS } from './backends/index.ts';
import { assemblyFor } from './assembly.ts';
import { linkHosted } from './hosted.ts';
import { compiledUnit, stubLines } from '../blob/source.ts';
import { HOSTED_STUBS } from '../targets/target.ts';
import { runOnHost } from './host.ts';
import { startFailure } from '../qemu/run.ts';

export { assemblyFor, type Assembly } from './assembly.ts';

let shared: Compiler | undefined;
/** One TypeScript project for the whole process: loading the checker dominates compile time. */
function compiler(): Compiler {
  shared ??= new Compiler();
  return shared;
}

/** Compiles `file`; every diagnostic of the run in one GenError if there are any. */
export function check(file: string): Compiled {
  const c = compiler().compile(file);
  if (c.diagnostics.length > 0) {
    const text = c.diagnostics.map((d) => formatDiagnostic(d, c.texts.get(d.file) ?? '')).join('\n');
    throw new GenError(`${text}\n${c.diagnostics.length} error(s)`, 1);
  }
  return c;
}

function mainOf(c: Compiled, file: string): { symbol: string; signed: boolean } {
  if (!c.main) throw new GenError(`${file}: exports no main()`, 1);
  const ret = c.main.ret;
  if (ret.kind === 'void') throw new GenError(`${file}: main() must return an integer or boolean`, 1);
  return { symbol: c.main.symbol, signed: ret.kind === 'int' && ret.signed };
}

/** The result of main() as the compiled program printed it: its last line of output. */
export async function runCompiled(file: string, arch: ArchName): Promise<string> {
  return (await runCompiledOutput(file, arch)).split('\n').pop() ?? '';
}

/**
 * Builds the hosted executable and runs it (qemu-user where the target needs it); all it
 * printed: what the program sent to putc, then main()'s result.
 */
export async function runCompiledOutput(file: string, arch: ArchName): Promise<string> {
  const target = targetByName(arch);
  const c = check(file);
  const main = mainOf(c, file);
  const asm = assemblyFor(c, target);
  // Data on pages of its own: qemu-user retranslates code on every write to its page.
  const unit = [
    ...compiledUnit([...BACKENDS[arch].hostedStart(main.symbol, main.signed), ...asm.code]),
    ...stubLines(target, HOSTED_STUBS),
    ...compiledUnit([`        ${target.alignTo(0xc)}`, ...asm.data, ...asm.bss]),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gp-run-'));
  try {
    const exe = join(dir, `${arch}.elf`);
    writeFileSync(exe, await linkHosted(target, unit), { mode: 0o755 });
    const [cmd, ...args] = [...target.userRunner, exe];
    const { stdout } = await promisify(execFile)(cmd, args, { timeout: 60_000 }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new GenError(`compile --run: ${startFailure(cmd, err)}`, 1) : err;
    });
    return stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the host runtime computes for the same program. */
export async function runHost(file: string): Promise<string> {
  const c = check(file);
  const main = mainOf(c, file);
  const r = await runOnHost(c);
  return (main.signed ? BigInt.asIntN(64, r) : BigInt.asUintN(64, r)).toString();
}
