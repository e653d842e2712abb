// Benchmarks (npm run bench): blob sizes, and the time from QEMU's start to the blob's
// banner next to QEMU's direct -kernel boot of the same kernel to its first console
// line. Prints a markdown table for docs/performance.md.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TARGETS } from '../generator/targets/index.ts';
import type { Target } from '../generator/targets/target.ts';
import { prepareBoot } from '../generator/qemu/boot.ts';
import { readBlob } from '../generator/commands/inputs.ts';
import { MACHINES } from '../generator/qemu/machines.ts';
import type { QemuCommandLine } from '../generator/qemu/machine.ts';
import { spawnQemu } from '../generator/qemu/run.ts';
import { debianKernel, ROOT } from '../test/support/debian.ts';
import { buildInitramfs } from '../test/support/initramfs.ts';

/** The kernel's first console line: arm64 prints 'Booting Linux …' first, x86 'Linux version …'. */
const KERNEL_FIRST_LINE = /(Booting Linux|Linux version)[^\n]*\n/;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const APPEND: Record<string, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };

/** Milliseconds from spawning QEMU until a console line matches; QEMU is then killed. */
async function timeToLine(cmd: QemuCommandLine, match: RegExp, timeoutMs = 120_000): Promise<number> {
  const r = await spawnQemu(cmd, { timeoutMs, mark: match, stopAtMark: true });
  if (r.markMs === undefined) throw new Error(`no ${match} within ${timeoutMs} ms`);
  return r.markMs;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function blobBoot(target: Target, kernel: string, initrd: string): Promise<number> {
  const boot = await prepareBoot({
    target, blob: readBlob(target, undefined), image: { data: readFileSync(kernel), file: kernel },
    initrd: { data: readFileSync(initrd), file: initrd }, cmdline: APPEND[target.name], memoryBytes: 1 << 30, el2: false,
  });
  try {
    return await timeToLine(boot.command, /gen-purgatory: arch=[^\n]*\n/);
  } finally {
    boot.cleanup();
  }
}

async function measure(target: Target): Promise<string> {
  const kernel = debianKernel(target.name);
  const initrd = buildInitramfs(target.name);
  const direct = MACHINES[target.name].directBoot(kernel, initrd, APPEND[target.name], 1 << 30);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await blobBoot(target, kernel, initrd));
    theirs.push(await timeToLine(direct, KERNEL_FIRST_LINE));
  }
  const size = statSync(join(ROOT, 'out', target.name, 'purgatory.bin')).size;
  return `| ${target.name} | ${size} | ${median(ours).toFixed(0)} | ${median(theirs).toFixed(0)} |`;
}

const rows: string[] = [];
for (const t of TARGETS) rows.push(await measure(t));
process.stdout.write([
  `Medians of ${RUNS} runs, milliseconds from spawning QEMU.`,
  '',
  "| arch | blob bytes | QEMU start → blob banner | QEMU start → the kernel's first console line, direct -kernel boot |",
  '|---|---|---|---|',
  ...rows,
].join('\n') + '\n');
