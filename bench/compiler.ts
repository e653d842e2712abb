// Compiler benchmarks (npm run bench): compile time of templates/ per arch, and code
// size per TypeScript line against the same functions in C at -Os (bench/reference/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from '../generator/targets/index.ts';
import type { Target } from '../generator/targets/target.ts';
import { Compiler } from '../generator/compiler/frontend/compile.ts';
import { assemblyFor } from '../generator/compiler/driver.ts';
import { compiledUnit } from '../generator/blob/source.ts';
import { assemble } from '../generator/toolchain/assembler.ts';
import { TEMPLATES_MAIN } from '../generator/blob/build.ts';
import { ROOT } from '../test/support/debian.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds for front end + back end + keystone, in a process that has compiled once. */
async function compileMs(target: Target): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const c = new Compiler().compile(TEMPLATES_MAIN);
    const asm = assemblyFor(c, target);
    // rt_putc lives in stubs-asm; a bare label stands in for it
    const unit = compiledUnit([...asm.code, ...asm.data, 'rt_putc:']);
    bytes = (await assemble(unit, target.asm, 0n)).length;
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // run 0 warms up
  }
  return { ms: median(times), bytes };
}

/** Non-blank, non-comment lines of templates/ (the runtime in rt/ excluded). */
function sourceLines(): number {
  const dir = join(ROOT, 'templates');
  return readdirSync(dir).filter((f) => f.endsWith('.ts')).reduce((n, f) => n + readFileSync(join(dir, f), 'utf8')
    .split('\n').filter((l) => l.trim() && !l.trim().startsWith('//')).length, 0);
}

const GCC: Record<string, string> = { arm64: 'aarch64-linux-gnu-gcc', x86_64: 'gcc' };
const SIZE: Record<string, string> = { arm64: 'aarch64-linux-gnu-size', x86_64: 'size' };

/** .text bytes of bench/reference/console.c at -Os, or undefined without that compiler. */
function referenceBytes(arch: string): number | undefined {
  const obj = join(mkdtempSync(join(tmpdir(), 'gp-ref-')), 'ref.o');
  try {
    execFileSync(GCC[arch], ['-Os', '-ffreestanding', '-fno-asynchronous-unwind-tables', '-fno-stack-protector', '-c', '-o', obj, join(ROOT, 'bench/reference/console.c')]);
    return Number(execFileSync(SIZE[arch], [obj], { encoding: 'utf8' }).split('\n')[1].trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

const lines = sourceLines();
const rows: string[] = [];
for (const t of TARGETS) {
  const { ms, bytes } = await compileMs(t);
  const ref = referenceBytes(t.name);
  const refText = ref === undefined ? 'n/a' : `${ref} (${(bytes / ref).toFixed(1)}×)`;
  rows.push(`| ${t.name} | ${ms.toFixed(0)} | ${bytes} | ${(bytes / lines).toFixed(1)} | ${refText} |`);
}
process.stdout.write([
  `templates/: ${lines} lines of TypeScript (rt/ excluded). Medians of ${RUNS} warm compiles.`,
  '',
  '| arch | compile ms (front end + back end + keystone) | code + data bytes | bytes per line | C at -Os, text + rodata (gcc 12) |',
  '|---|---|---|---|---|',
  ...rows,
].join('\n') + '\n');
