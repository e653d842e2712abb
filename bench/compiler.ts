// Compiler benchmarks (npm run bench): compile time of templates/ per arch, and code
// size per TypeScript line against the same functions in C at -Os (bench/reference/).
import { execFileSync } from 'node:child_process';
import { rmSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from '../generator/targets/index.ts';
import type { Target } from '../generator/targets/target.ts';
import { Compiler, type Compiled } from '../generator/compiler/frontend/compile.ts';
import { assemblyFor } from '../generator/compiler/driver.ts';
import { compiledUnit } from '../generator/blob/source.ts';
import { assemble } from '../generator/toolchain/assembler.ts';
import { TEMPLATES_MAIN } from '../generator/blob/build.ts';
import { ROOT } from '../test/support/debian.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const TREE = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'templates', f));

/** Code and data bytes of one module (and its imports) for a target; zero-filled data takes no file bytes. */
async function bytesOf(c: Compiled, target: Target, withBss = true): Promise<number> {
  const asm = assemblyFor(c, target);
  // The intrinsics live in stubs-asm: bare labels stand in for them, placed among the
  // code (branch targets must stay 4-byte aligned on arm64, which data may break).
  const stubs = [...new Set(asm.code.join('\n').match(/\brt_\w+/g) ?? [])].map((x) => `${x}:`);
  // Without zero-filled data its labels stay (the code names them), one byte each.
  const bss = withBss ? asm.bss : asm.bss.map((l) => l.replace(/\.skip\s+\S+/, '.skip 0x1'));
  return (await assemble(compiledUnit([...asm.code, ...stubs, ...asm.data, ...bss]), target.asm, 0n)).length;
}

/** Milliseconds to compile and assemble every module of templates/, in a warm process. */
async function compileMs(target: Target): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const compiler = new Compiler();
    for (const f of TREE) await bytesOf(compiler.compile(f), target);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // run 0 warms up
  }
  return median(times);
}

/** Non-blank, non-comment lines of the modules the blob compiles (rt/ excluded). */
function sourceLines(): number {
  return new Compiler().compile(TEMPLATES_MAIN).modules.reduce((n, m) => n + m.file.getFullText()
    .split('\n').filter((l) => l.trim() && !l.trim().startsWith('//')).length, 0);
}

const GCC: Record<string, string> = { arm64: 'aarch64-linux-gnu-gcc', x86_64: 'gcc' };
const SIZE: Record<string, string> = { arm64: 'aarch64-linux-gnu-size', x86_64: 'size' };

/** .text bytes of bench/reference/console.c at -Os, or undefined without that compiler. */
function referenceBytes(arch: string): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'gp-ref-'));
  const obj = join(dir, 'ref.o');
  try {
    execFileSync(GCC[arch], ['-Os', '-ffreestanding', '-fno-asynchronous-unwind-tables', '-fno-stack-protector', '-c', '-o', obj, join(ROOT, 'bench/reference/console.c')]);
    return Number(execFileSync(SIZE[arch], [obj], { encoding: 'utf8' }).split('\n')[1].trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = sourceLines();
const rows: string[] = [];
for (const t of TARGETS) {
  const ms = await compileMs(t);
  const bytes = await bytesOf(new Compiler().compile(TEMPLATES_MAIN), t, false);
  // The C reference holds the console and banner functions only: compare like with like.
  const mirrored = await bytesOf(new Compiler().compile(join(ROOT, 'templates', 'banner.ts')), t, false);
  const ref = referenceBytes(t.name);
  const refText = ref === undefined ? 'n/a' : `${mirrored} vs ${ref} (${(mirrored / ref).toFixed(1)}×)`;
  rows.push(`| ${t.name} | ${ms.toFixed(0)} | ${bytes} | ${(bytes / lines).toFixed(1)} | ${refText} |`);
}
process.stdout.write([
  `Compile time: all ${TREE.length} modules of templates/, medians of ${RUNS} warm runs. Size: templates/main.ts and its imports (what the blob holds, ${lines} lines of TypeScript; rt/ excluded).`,
  '',
  '| arch | templates/ compile ms (front end + back end + keystone) | compiled code + data bytes in the blob | bytes per line | banner.ts + console.ts compiled vs the same in C at -Os (gcc 12) |',
  '|---|---|---|---|---|',
  ...rows,
].join('\n') + '\n');
