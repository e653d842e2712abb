// kdump through the emulator: a Debian first kernel booted with crashkernel=256M loads a
// wrapped image with `kexec -p` (or `kexec -s -p`), fills tmpfs with a known pattern and
// crashes; the crash kernel boots through the blob inside the crash region and counts
// the whole pattern in /proc/vmcore, so the old memory outside the region is intact.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { debianKernel, systemdStub, ZBOOT_CRASH_KERNEL, type Arch } from '../support/debian.ts';
import { INIT_MARKER } from '../support/initramfs.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { runKexec, judgeKexec, type KexecRun } from '../../generator/qemu/kexec.ts';
import type { KexecSyscall } from '../../generator/qemu/kexec-initramfs.ts';
import { PATTERN_BYTES, PATTERN_RECORDS, kdumpMarks } from '../../generator/qemu/kexec-kdump.ts';

/** Counting /proc/vmcore under TCG takes minutes when runs share two cores. */
const TIMEOUT_SEC = 560;
/** 1 GiB guests: a smaller vmcore to count, still room for crashkernel=256M. */
const MEMORY = 0x4000_0000;
const dir = tempDir('gen-purgatory-kdump-wrapped-');

function wrap(image: string, name: string): string {
  const out = join(dir, `${name}.wrapped`);
  const r = cli(['wrap', image, '-o', out]);
  expect(r.status, r.stderr).toBe(0);
  return out;
}

/** A UKI as a crash kernel: no .cmdline, since the loader's (elfcorehdr= on x86) must reach it. */
function uki(arch: Arch): string {
  const file = join(dir, `${arch}-uki.efi`);
  writeFileSync(file, buildUki({ stub: systemdStub(arch), kernel: debianKernel(arch), osrel: 'ID=test\n' }));
  return file;
}

/** The crash kernel was started by the blob after the panic and found every record. */
function expectDumped(run: KexecRun): void {
  const text = run.lines.map((l) => l.text).join('\n');
  const tail = text.slice(-3000);
  const m = kdumpMarks(run.lines);
  expect(run.lines[m.panic ?? 0].text, tail).toContain('Kernel panic - not syncing: sysrq triggered crash');
  const banner = run.lines.findIndex((l) => /^gen-purgatory: arch=/.test(l.text));
  expect(banner, tail).toBeGreaterThan(m.panic ?? 0);
  expect(m.crashKernel, tail).toBeGreaterThan(banner);
  expect(text, tail).not.toMatch(/gen-purgatory: error:/);
  expect(m.vmcoreBytes, tail).toBeGreaterThan(PATTERN_BYTES);
  expect(m.pattern, tail).toEqual({ found: PATTERN_RECORDS, expected: PATTERN_RECORDS });
  expect(text).toContain(INIT_MARKER);
  expect(() => judgeKexec(run)).not.toThrow();
}

/** The blob's banner names the payload it loads: inside the reservation the first kernel reported. */
function expectInCrashRegion(run: KexecRun): void {
  const text = run.lines.map((l) => l.text).join('\n');
  const banner = run.lines.find((l) => /^gen-purgatory: arch=/.test(l.text))?.text ?? '';
  const image = BigInt(/image=(0x[0-9a-f]+)/.exec(banner)?.[1] ?? '0');
  const region = /crash kernel reservation: \d+ bytes at ([0-9a-f]+)-([0-9a-f]+)/.exec(text);
  expect(region, text.slice(-3000)).not.toBeNull();
  const [lo, hi] = [BigInt(`0x${region?.[1]}`), BigInt(`0x${region?.[2]}`)];
  expect(image >= lo && image < hi, `${banner} in ${region?.[0]}`).toBe(true);
}

function dump(arch: Arch, image: string, syscall: KexecSyscall = 'kexec_load'): Promise<KexecRun> {
  return runKexec({ arch, image, syscall, mode: 'kdump', memoryBytes: MEMORY, timeoutSec: TIMEOUT_SEC });
}

describe.concurrent('kdump: wrapped crash kernels boot through the blob and see all of the old memory', () => {
  it.each([
    ['arm64', 'Image', 'kexec_load', (): string => wrap(debianKernel('arm64'), 'a64-image')],
    ['arm64', 'zboot', 'kexec_load', (): string => wrap(ZBOOT_CRASH_KERNEL, 'a64-zboot')],
    ['arm64', 'UKI', 'kexec_load', (): string => wrap(uki('arm64'), 'a64-uki')],
    ['x86_64', 'bzImage', 'kexec_load', (): string => wrap(debianKernel('x86_64'), 'x86-bzimage')],
    ['x86_64', 'bzImage', 'kexec_file_load', (): string => wrap(debianKernel('x86_64'), 'x86-bzimage-file')],
    ['x86_64', 'UKI', 'kexec_file_load', (): string => wrap(uki('x86_64'), 'x86-uki')],
  ] as const)('%s %s, %s', async (arch, _what, syscall, image) => {
    const run = await dump(arch, image(), syscall);
    expectDumped(run);
    expectInCrashRegion(run);
  }, (TIMEOUT_SEC + 60) * 1000);
});
