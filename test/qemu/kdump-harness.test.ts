// kdump in the real-kexec harness on control runs: Debian's cloud kernel boots with
// crashkernel=, loads the same stock kernel with `kexec -p` (kexec_load; on x86_64 also
// kexec_file_load), fills tmpfs with a pattern and crashes with sysrq; the crash kernel
// counts the pattern in /proc/vmcore. No blob is involved: these check the harness.
import { describe, it, expect } from 'vitest';
import { cliAsync } from '../support/cli.ts';
import { debianKernel, type Arch } from '../support/debian.ts';
import { INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { runKexec, judgeKexec, type ConsoleLine } from '../../generator/qemu/kexec.ts';
import { kdumpInitramfs, stagesInitramfs } from '../../generator/qemu/kexec-initramfs.ts';
import { kexecUserland } from '../../generator/qemu/kexec-root.ts';
import {
  KDUMP_APPEND, KDUMP_CMDLINE_PREFIX, KDUMP_INIT_MARKER, PATTERN_BYTES, PATTERN_RECORD, PATTERN_RECORDS,
  kdumpFailure, kdumpMarks, panicToCrashKernelMs,
} from '../../generator/qemu/kexec-kdump.ts';

const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
/** Counting /proc/vmcore under TCG takes minutes when runs share two cores; 1 GiB guests keep it smaller. */
const TIMEOUT_SEC = 560;

const contains = (hay: Uint8Array, needle: string): boolean => Buffer.from(hay).includes(needle);
const lines = (texts: string[]): ConsoleLine[] => texts.map((text, ms) => ({ ms: ms * 1000, text }));

describe('kdump harness parts', () => {
  it('a record never straddles a page, and neither /init holds the pattern itself', () => {
    expect(4096 % (PATTERN_RECORD.length + 1)).toBe(0);
    expect(PATTERN_BYTES % 4096).toBe(0);
    expect(KDUMP_INIT_MARKER).toBe(INIT_MARKER);
    expect(KDUMP_CMDLINE_PREFIX).toBe(CMDLINE_PREFIX);
    // The first kernel keeps both archives in memory until the crash: a literal copy
    // there would be counted in /proc/vmcore.
    const userland = kexecUserland('x86_64');
    const crash = kdumpInitramfs(userland);
    const first = stagesInitramfs({ userland, image: new Uint8Array(8), initrd: crash, cmdline: 'c', middleCmdline: 'c', syscall: 'kexec_load', mode: 'kdump', count: 1 });
    expect(contains(first, PATTERN_RECORD)).toBe(false);
    expect(contains(first, 'kexec -p /kexec/image')).toBe(true);
  });

  it('finds the panic line and the crash kernel; only a later panic fails', () => {
    const run = ['[ 20.1] sysrq: Trigger a crash', '[ 20.2] Kernel panic - not syncing: sysrq triggered crash',
      '[ 20.3] Bye!', '[ 0.000000] Linux version 6.1.0', 'gen-purgatory-kdump: vmcore bytes 123',
      `gen-purgatory-kdump: pattern ${PATTERN_RECORDS} of ${PATTERN_RECORDS}`];
    expect(kdumpMarks(lines(run))).toEqual({ panic: 1, crashKernel: 3, vmcoreBytes: 123, pattern: { found: PATTERN_RECORDS, expected: PATTERN_RECORDS } });
    expect(panicToCrashKernelMs(lines(run))).toBe(2000);
    expect(kdumpFailure(lines(run), true)).toBeUndefined();
    expect(kdumpFailure(lines([...run.slice(0, 4), '[ 1.0] Kernel panic - not syncing: VFS']), false)).toMatch(/crash kernel panicked: .*VFS/);
    expect(kdumpFailure(lines([...run.slice(0, 3), '---[ end Kernel panic - not syncing ]---']), false)).toMatch(/no crash kernel started/);
    expect(kdumpFailure(lines([...run.slice(0, 5), 'gen-purgatory-kdump: pattern 7 of 9']), true)).toMatch(/found 7 of 9/);
  });
});

/** The crash kernel started after the first kernel's panic and found the whole pattern. */
function expectDumped(arch: Arch, seen: ConsoleLine[], flags: string): void {
  const text = seen.map((l) => l.text).join('\n');
  const tail = text.slice(-3000);
  expect(text, tail).toContain(`gen-purgatory-kexec: stage 1: loading /kexec/image with kexec ${flags}`);
  const m = kdumpMarks(seen);
  expect(seen[m.panic ?? 0].text, tail).toContain('Kernel panic - not syncing: sysrq triggered crash');
  expect(m.crashKernel, tail).toBeGreaterThan(m.panic ?? 0);
  expect(m.vmcoreBytes, tail).toBeGreaterThan(PATTERN_BYTES);
  expect(m.pattern, tail).toEqual({ found: PATTERN_RECORDS, expected: PATTERN_RECORDS });
  expect(text).toContain(INIT_MARKER);
  const cmdline = seen.find((l) => l.text.startsWith(CMDLINE_PREFIX))?.text.slice(CMDLINE_PREFIX.length);
  // On x86_64 the loaders add elfcorehdr= (kexec_file_load in front, kexec-tools at the
  // end); arm64 passes it in the DT.
  expect(cmdline, tail).toContain(`${CONSOLE[arch]} loglevel=6 ${KDUMP_APPEND}`);
  expect(/elfcorehdr=/.test(cmdline ?? ''), cmdline).toBe(arch === 'x86_64');
}

describe.concurrent('gen-purgatory qemu --kexec --kdump: Debian kexec-tools on the stock kernel', () => {
  it.each([['arm64', 'kexec_load'], ['x86_64', 'kexec_load']] as const)('%s %s, through runKexec', async (arch, syscall) => {
    const run = await runKexec({ arch, image: debianKernel(arch), syscall, mode: 'kdump', memoryBytes: 0x4000_0000, timeoutSec: TIMEOUT_SEC });
    expectDumped(arch, run.lines, '-p');
    expect(() => judgeKexec(run)).not.toThrow();
    expect(panicToCrashKernelMs(run.lines)).toBeGreaterThan(0);
  }, (TIMEOUT_SEC + 30) * 1000);

  it('x86_64 kexec_file_load, through the command line', async () => {
    const r = await cliAsync(['qemu', '--kexec', '--kdump', '--file-load', '--arch', 'x86_64', debianKernel('x86_64'), '--memory', '1G', '--timeout', String(TIMEOUT_SEC)]);
    const seen = r.stdout.replace(/\r/g, '').split('\n').map((text) => ({ ms: 0, text }));
    expectDumped('x86_64', seen, '-s -p');
    expect(r.stdout).toContain('crashkernel=256M');
    expect(r.status, r.stderr).toBe(0);
  }, (TIMEOUT_SEC + 30) * 1000);
});
