// The real-kexec benchmark (npm run bench): a Debian first kernel runs Debian's
// kexec-tools 2.0.25 on the same kernel unwrapped (stock) and wrapped with our blob,
// interleaved in the same run, and we time from the first kernel's "kexec_core: Starting
// new kernel" to the next kernel's first line. Also zboot and a UKI, and the blob's own
// share: from its banner to the EFI stub's first line. Then kdump: from the first
// kernel's panic line to the crash kernel's first line, stock `kexec -p` against wrapped.
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runKexec, type KexecRun } from '../generator/qemu/kexec.ts';
import { panicToCrashKernelMs } from '../generator/qemu/kexec-kdump.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, ROOT, type Arch } from '../test/support/debian.ts';
import { buildInitramfs } from '../test/support/initramfs.ts';
import { buildUki } from '../test/support/uki.ts';

const RUNS = Number(process.env.BENCH_KEXEC_RUNS ?? 5);
/** BENCH_KEXEC_ARCHES=arm64, BENCH_KEXEC_EXEC=0 or BENCH_KEXEC_KDUMP=0 narrow a rerun to what is in question. */
const ARCHES = (process.env.BENCH_KEXEC_ARCHES ?? 'arm64,x86_64').split(',') as Arch[];
const KDUMP = process.env.BENCH_KEXEC_KDUMP !== '0';
const EXEC = process.env.BENCH_KEXEC_EXEC !== '0';
/** Early consoles on every path, so the kernel's first line comes out as soon as it runs. */
const APPEND: Record<Arch, string> = { arm64: 'console=ttyAMA0 earlycon', x86_64: 'console=ttyS0 earlyprintk=ttyS0' };
const FIRST_APPEND: Record<Arch, string> = { arm64: 'console=ttyAMA0 loglevel=6', x86_64: 'console=ttyS0 loglevel=6' };
const STARTING = /kexec_core: Starting new kernel/;
const KERNEL_FIRST_LINE = /(Booting Linux on physical CPU|Linux version )/;
const BANNER = /^gen-purgatory: arch=/;
const STUB = /^EFI stub: /;

interface Times { gap: number; blobToStub?: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The first line matching `re` at or after line `from`. */
function find(run: KexecRun, re: RegExp, from = 0): number {
  const i = run.lines.findIndex((l, k) => k >= from && re.test(l.text));
  if (i < 0) throw new Error(`${run.arch}: no line matching ${re} (last: ${run.lines.at(-1)?.text ?? 'none'})`);
  return i;
}

function times(run: KexecRun): Times {
  const start = find(run, STARTING);
  const kernel = find(run, KERNEL_FIRST_LINE, start + 1);
  const t: Times = { gap: run.lines[kernel].ms - run.lines[start].ms };
  const banner = run.lines.findIndex((l, k) => k > start && BANNER.test(l.text));
  if (banner >= 0) t.blobToStub = run.lines[find(run, STUB, banner)].ms - run.lines[banner].ms;
  return t;
}

async function once(arch: Arch, image: string, initrd: string | undefined): Promise<Times> {
  const run = await runKexec({ arch, image, initrd, append: APPEND[arch], firstAppend: FIRST_APPEND[arch], timeoutSec: 300 });
  return times(run);
}

function wrap(image: string, out: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/gen-purgatory.js'), 'wrap', image, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrap ${image}: ${r.stderr}`);
  return out;
}

interface Row { arch: Arch; what: string; stock?: number; ours: number; blob: number }

async function measure(arch: Arch, dir: string): Promise<Row[]> {
  const initrd = buildInitramfs(arch);
  const kernel = debianKernel(arch);
  const uki = join(dir, `${arch}-uki.efi`);
  writeFileSync(uki, buildUki({ stub: systemdStub(arch), kernel, initrd: readFileSync(initrd), osrel: 'ID=bench\n' }));
  const cases: [string, string, string | undefined][] = [['kernel', kernel, initrd], ['UKI', uki, undefined]];
  if (arch === 'arm64') cases.splice(1, 0, ['zboot', ZBOOT_FIXTURE, initrd]);
  const stock: number[] = [];
  const ours = new Map<string, Times[]>(cases.map(([w]) => [w, []]));
  const wrapped = new Map(cases.map(([w, img]) => [w, wrap(img, join(dir, `${arch}-${w}.wrapped`))]));
  for (let i = 0; i < RUNS; i++) {
    stock.push((await once(arch, kernel, initrd)).gap);
    for (const [w, , rd] of cases) ours.get(w)?.push(await once(arch, wrapped.get(w) as string, rd));
  }
  return cases.map(([w]) => {
    const t = ours.get(w) as Times[];
    return {
      arch, what: w, stock: w === 'kernel' ? median(stock) : undefined,
      ours: median(t.map((x) => x.gap)), blob: median(t.map((x) => x.blobToStub ?? NaN)),
    };
  });
}

function report(rows: Row[]): string {
  const ms = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(0));
  const stockOf = (a: Arch): number => rows.find((r) => r.arch === a && r.stock !== undefined)?.stock as number;
  return [
    `Medians of ${RUNS} runs, milliseconds from the first kernel's "kexec_core: Starting new kernel" to the next kernel's first line; the runs of each round follow each other.`,
    '',
    '| arch | payload | stock kexec-tools, unwrapped | ours, wrapped | ours / stock | blob banner → EFI stub |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.arch} | ${r.what} | ${ms(r.stock)} | ${ms(r.ours)} | ${(r.ours / stockOf(r.arch)).toFixed(2)}× | ${ms(r.blob)} |`),
  ].join('\n') + '\n';
}

/** One crash: the first kernel loads `image` with kexec -p and panics; the test initramfs only, no counting. */
async function crash(arch: Arch, image: string, initrd: string): Promise<number> {
  const run = await runKexec({ arch, image, initrd, mode: 'kdump', append: APPEND[arch], firstAppend: FIRST_APPEND[arch], memoryBytes: 0x4000_0000, timeoutSec: 400 });
  const ms = panicToCrashKernelMs(run.lines);
  if (ms === undefined) throw new Error(`${arch} kdump: no panic line or no crash kernel (last: ${run.lines.at(-1)?.text ?? 'none'})`);
  return ms;
}

async function kdumpRow(arch: Arch, dir: string): Promise<string> {
  const initrd = buildInitramfs(arch);
  const kernel = debianKernel(arch);
  const wrapped = wrap(kernel, join(dir, `${arch}-kdump.wrapped`));
  const stock: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    stock.push(await crash(arch, kernel, initrd));
    ours.push(await crash(arch, wrapped, initrd));
  }
  const [s, o] = [median(stock), median(ours)];
  return `| ${arch} | ${s.toFixed(0)} | ${o.toFixed(0)} | ${(o / s).toFixed(2)}× |`;
}

const dir = mkdtempSync(join(tmpdir(), 'gen-purgatory-bench-kexec-'));
try {
  const rows: Row[] = [];
  for (const arch of EXEC ? ARCHES : []) rows.push(...(await measure(arch, dir)));
  if (rows.length > 0) process.stdout.write(report(rows));
  const kdump: string[] = [];
  for (const arch of KDUMP ? ARCHES : []) kdump.push(await kdumpRow(arch, dir));
  if (kdump.length > 0) process.stdout.write(['', `kdump (kexec_load): medians of ${RUNS} runs, milliseconds from the first kernel's "Kernel panic - not syncing" line to the crash kernel's first line.`, '',
    '| arch | stock `kexec -p`, unwrapped | ours, wrapped | ours / stock |', '|---|---|---|---|', ...kdump].join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
