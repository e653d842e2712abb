// Boot benchmarks (npm run bench): for each arch, in the same process and interleaved,
// our chain (QEMU in kexec state → blob), QEMU's direct -kernel boot, and EDK2 booting
// the same kernel, initramfs and command line. Prints a markdown table and the ratios
// for docs/performance.md.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from '../generator/targets/index.ts';
import type { Target } from '../generator/targets/target.ts';
import { prepareBoot } from '../generator/qemu/boot.ts';
import { readBlob } from '../generator/commands/inputs.ts';
import { MACHINES } from '../generator/qemu/machines.ts';
import { debianKernel, ROOT } from '../test/support/debian.ts';
import { buildInitramfs } from '../test/support/initramfs.ts';
import { timeToLine, watchLines, type LineWatcher } from './lines.ts';
import { edk2Boot, timeEdk2, type Edk2Times } from './edk2.ts';

/**
 * The kernel's first console line: arm64 prints 'Booting Linux on physical CPU …' first,
 * x86 'Linux version …'. (Not just 'Booting Linux': the EFI stub prints 'EFI stub:
 * Booting Linux Kernel...' before it.)
 */
const KERNEL_FIRST_LINE = /(Booting Linux on physical CPU|Linux version )/;
// Eleven: the EFI stub's KASLR copy takes either ~15 or ~45 ms from one run to the next
// (the same seed gives both), so five runs leave the medians to chance.
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const MEMORY = 1 << 30;
/**
 * Early consoles, so the kernel's first line comes out as soon as the kernel runs rather
 * than when its serial driver registers (the same few hundred ms of kernel start-up on
 * every path): the figures then measure what differs, the firmware phase.
 */
const APPEND: Record<string, string> = { arm64: 'console=ttyAMA0 earlycon', x86_64: 'console=ttyS0 earlyprintk=ttyS0' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Our chain's times: the blob's banner, the EFI stub's first line, the kernel's first line, any error. */
interface OursTime {
  bannerMs?: number;
  stubMs?: number;
  kernelMs?: number;
  error?: string;
}

/** Watches our chain's console until the kernel's first line (or the blob's error line). */
function oursWatcher(t: OursTime): LineWatcher {
  return (line: string, ms: number): boolean => {
    if (/^gen-purgatory: error:/.test(line)) {
      t.error = line;
      return true;
    }
    if (t.bannerMs === undefined && /^gen-purgatory: arch=/.test(line)) t.bannerMs = ms;
    if (t.stubMs === undefined && /^EFI stub: /.test(line)) t.stubMs = ms;
    if (!KERNEL_FIRST_LINE.test(line)) return false;
    t.kernelMs = ms;
    return true;
  };
}

function checked(arch: string, t: OursTime): OursTime {
  if (t.error !== undefined) throw new Error(`${arch}: the blob reported: ${t.error}`);
  if (t.kernelMs === undefined) throw new Error(`${arch}: our chain never reached the kernel's first line`);
  return t;
}

/** QEMU spawned on the planned segments: like for like with the direct and EDK2 boots. */
async function oursBoot(target: Target, kernel: string, initrd: string): Promise<OursTime> {
  const boot = await prepareBoot({
    target, blob: readBlob(target, undefined), image: { data: readFileSync(kernel), file: kernel },
    initrd: { data: readFileSync(initrd), file: initrd }, cmdline: APPEND[target.name], memoryBytes: MEMORY, el2: false,
  });
  try {
    const t: OursTime = {};
    await watchLines(boot.command, oursWatcher(t));
    return checked(target.name, t);
  } finally {
    boot.cleanup();
  }
}

/**
 * The whole `gen-purgatory qemu` command from its start: Node, planning, QEMU, blob,
 * kernel. It is killed at the kernel's first line, before it can remove its directory of
 * segment files: it gets a TMPDIR of its own, removed after every boot.
 */
async function oursCommand(target: Target, kernel: string, initrd: string): Promise<number> {
  const t: OursTime = {};
  const cmd = { binary: join(ROOT, 'bin', 'gen-purgatory.js'), args: ['qemu', '--arch', target.name, kernel, '--initrd', initrd, '--append', APPEND[target.name]] };
  const scratch = mkdtempSync(join(tmpdir(), 'gen-purgatory-bench-'));
  try {
    await watchLines(cmd, oursWatcher(t), { env: { ...process.env, TMPDIR: scratch }, group: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return checked(target.name, t).kernelMs as number;
}

interface ArchResult {
  arch: string;
  blobBytes: number;
  oursStub: number;
  ours: number;
  /** From the blob's first line to the kernel's: what a real kexec pays (no SeaBIOS, no shim). */
  blobToKernel: number;
  command: number;
  direct: number;
  edk2Stub?: number;
  edk2Kernel: number;
}

async function measure(target: Target): Promise<ArchResult> {
  const kernel = debianKernel(target.name);
  const initrd = buildInitramfs(target.name);
  const append = APPEND[target.name];
  const direct = MACHINES[target.name].directBoot(kernel, initrd, append, MEMORY);
  const edk2 = edk2Boot(target.name, kernel, initrd, append, MEMORY);
  const ours: OursTime[] = [];
  const command: number[] = [];
  const theirs: number[] = [];
  const fw: Edk2Times[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await oursBoot(target, kernel, initrd));
    command.push(await oursCommand(target, kernel, initrd));
    theirs.push(await timeToLine(direct, KERNEL_FIRST_LINE));
    fw.push(await timeEdk2(edk2, KERNEL_FIRST_LINE));
  }
  const stubs = fw.flatMap((f) => (f.stubMs !== undefined ? [f.stubMs] : []));
  return {
    arch: target.name, blobBytes: statSync(join(ROOT, 'out', target.name, 'purgatory.bin')).size,
    oursStub: median(ours.map((o) => o.stubMs ?? NaN)), ours: median(ours.map((o) => o.kernelMs as number)),
    blobToKernel: median(ours.map((o) => (o.kernelMs as number) - (o.bannerMs ?? 0))),
    command: median(command), direct: median(theirs),
    edk2Stub: stubs.length > 0 ? median(stubs) : undefined, edk2Kernel: median(fw.map((f) => f.kernelMs)),
  };
}

function report(results: ArchResult[]): string {
  const ms = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(0));
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  return [
    `Medians of ${RUNS} runs, milliseconds from spawning QEMU (the last column: from starting \`gen-purgatory qemu\`); the boots of each run follow each other.`,
    '',
    '| arch | blob bytes | ours → EFI stub | ours → kernel | blob banner → kernel | direct -kernel → kernel | EDK2 → EFI stub | EDK2 → kernel | ours / direct | EDK2 / ours | whole `gen-purgatory qemu` command → kernel |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.arch} | ${r.blobBytes} | ${ms(r.oursStub)} | ${ms(r.ours)} | ${ms(r.blobToKernel)} | ${ms(r.direct)} | ${ms(r.edk2Stub)} | ${ms(r.edk2Kernel)} | ${ratio(r.ours, r.direct)} | ${ratio(r.edk2Kernel, r.ours)} | ${ms(r.command)} |`),
  ].join('\n') + '\n';
}

const results: ArchResult[] = [];
for (const t of TARGETS) results.push(await measure(t));
process.stdout.write(report(results));
