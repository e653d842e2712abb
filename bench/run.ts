// Boot benchmarks (npm run bench): for each arch, in the same process and interleaved,
// our chain (QEMU in kexec state → blob), QEMU's direct -kernel boot, and EDK2 booting
// the same kernel, initramfs and command line. Prints a markdown table and the ratios
// for docs/performance.md.
import { readFileSync, statSync } from 'node:fs';
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
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MEMORY = 1 << 30;
const APPEND: Record<string, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What our chain reached: the first guest line after the blob, or only its banner. */
interface OursTime {
  ms: number;
  /** 'guest' when a line other than ours came; 'banner' when the blob's banner is all. */
  reached: 'guest' | 'banner';
  line: string;
  /** A `gen-purgatory: error:` line, if the blob reported one. */
  error?: string;
}

/**
 * Watches our chain's console. Lines before the first line of ours (`gen-purgatory:`,
 * `qemu-shim:`) come from the firmware that starts the machine (SeaBIOS and iPXE on
 * x86_64; nothing on arm64) and are skipped, as are our own lines; the first other
 * line is the guest's. Without one, the banner's time stands in.
 */
interface OursWatch {
  banner?: OursTime;
  guest?: OursTime;
  error?: string;
}

function oursWatcher(t: OursWatch): LineWatcher {
  let oursSeen = false;
  return (line: string, ms: number): boolean => {
    const ours = /^(gen-purgatory|qemu-shim):/.test(line);
    if (ours) {
      oursSeen = true;
      if (t.banner === undefined && /^gen-purgatory: arch=/.test(line)) t.banner = { ms, reached: 'banner', line };
      if (t.error === undefined && /^gen-purgatory: error:/.test(line)) t.error = line;
      return false;
    }
    if (!oursSeen || line === '') return false;
    t.guest = { ms, reached: 'guest', line };
    return true;
  };
}

async function oursBoot(target: Target, kernel: string, initrd: string): Promise<OursTime> {
  const boot = await prepareBoot({
    target, blob: readBlob(target, undefined), image: { data: readFileSync(kernel), file: kernel },
    initrd: { data: readFileSync(initrd), file: initrd }, cmdline: APPEND[target.name], memoryBytes: MEMORY, el2: false,
  });
  try {
    const t: OursWatch = {};
    await watchLines(boot.command, oursWatcher(t));
    const best = t.guest ?? t.banner;
    if (best === undefined) throw new Error(`${target.name}: our chain printed neither its banner nor a guest line`);
    return t.error !== undefined ? { ...best, error: t.error } : best;
  } finally {
    boot.cleanup();
  }
}

interface ArchResult {
  arch: string;
  blobBytes: number;
  ours: number;
  oursWhat: string;
  direct: number;
  edk2Stub?: number;
  edk2Kernel: number;
}

/** Which line our figure stops at: the guest line seen in most runs, or the banner. */
function describeOurs(runs: OursTime[]): string {
  const guest = runs.filter((r) => r.reached === 'guest');
  const error = runs.find((r) => r.error !== undefined)?.error;
  const what = guest.length > 0 ? `first guest line${guest.length < runs.length ? ` (${guest.length}/${runs.length} runs)` : ''}: "${guest[0].line.slice(0, 48)}"` : 'blob banner (no guest line yet)';
  return error !== undefined ? `${what}; blob reported "${error.slice(0, 60)}"` : what;
}

async function measure(target: Target): Promise<ArchResult> {
  const kernel = debianKernel(target.name);
  const initrd = buildInitramfs(target.name);
  const append = APPEND[target.name];
  const direct = MACHINES[target.name].directBoot(kernel, initrd, append, MEMORY);
  const edk2 = edk2Boot(target.name, kernel, initrd, append, MEMORY);
  const ours: OursTime[] = [];
  const theirs: number[] = [];
  const fw: Edk2Times[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await oursBoot(target, kernel, initrd));
    theirs.push(await timeToLine(direct, KERNEL_FIRST_LINE));
    fw.push(await timeEdk2(edk2, KERNEL_FIRST_LINE));
  }
  const stubs = fw.flatMap((f) => (f.stubMs !== undefined ? [f.stubMs] : []));
  return {
    arch: target.name, blobBytes: statSync(join(ROOT, 'out', target.name, 'purgatory.bin')).size,
    ours: median(ours.map((o) => o.ms)), oursWhat: describeOurs(ours), direct: median(theirs),
    edk2Stub: stubs.length > 0 ? median(stubs) : undefined, edk2Kernel: median(fw.map((f) => f.kernelMs)),
  };
}

function report(results: ArchResult[]): string {
  const ms = (v: number | undefined): string => (v === undefined ? 'n/a' : v.toFixed(0));
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  return [
    `Medians of ${RUNS} runs, milliseconds from spawning QEMU; the three boots of each run follow each other.`,
    '',
    '| arch | blob bytes | ours: QEMU start → first guest line (or banner) | direct -kernel → kernel\'s first line | EDK2 → EFI stub\'s first line | EDK2 → kernel\'s first line | ours / direct | EDK2 / ours |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.arch} | ${r.blobBytes} | ${ms(r.ours)} | ${ms(r.direct)} | ${ms(r.edk2Stub)} | ${ms(r.edk2Kernel)} | ${ratio(r.ours, r.direct)} | ${ratio(r.edk2Kernel, r.ours)} |`),
    '',
    'Where our figure stops:',
    ...results.map((r) => `- ${r.arch}: ${r.oursWhat}`),
  ].join('\n') + '\n';
}

const results: ArchResult[] = [];
for (const t of TARGETS) results.push(await measure(t));
process.stdout.write(report(results));
