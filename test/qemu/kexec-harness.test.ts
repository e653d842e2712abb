// The real-kexec harness on control runs: Debian's cloud kernel, booted in QEMU, runs
// Debian's kexec-tools on the same stock kernel with our test initramfs, which prints a
// marker and the command line it got. No blob is involved: these check the harness.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync, isOneLineError, type CliResult } from '../support/cli.ts';
import { debianKernel, type Arch } from '../support/debian.ts';
import { buildInitramfs, INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { tempDir } from '../support/tmp.ts';
import { runKexec, judgeKexec } from '../../generator/qemu/kexec.ts';

const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
// Spaces, a double-quoted argument and shell metacharacters, which must reach the
// second kernel untouched.
const cmdline = (arch: Arch, name: string): string => `${CONSOLE[arch]} gp.case=${name} "quoted arg" gp.sh=$HOME;\`x\``;
const dir = tempDir('gen-purgatory-kexec-harness-');
const initrds = new Map<Arch, string>();

function initrd(arch: Arch): string {
  let p = initrds.get(arch);
  if (!p) initrds.set(arch, (p = buildInitramfs(arch)));
  return p;
}

function kexec(arch: Arch, name: string, args: string[]): Promise<CliResult> {
  return cliAsync(['qemu', '--kexec', '--arch', arch, debianKernel(arch), '--initrd', initrd(arch),
    '--append', cmdline(arch, name), '--timeout', '280', ...args]);
}

/** The second kernel reached /init with exactly `expected`, after a real kexec. */
function expectKexeced(out: string, expected: string, stage = 'stage 1: loading /kexec/image with kexec -l'): void {
  const text = out.replace(/\r/g, '');
  const tail = text.slice(-3000);
  expect(text, tail).toContain(`gen-purgatory-kexec: ${stage}`);
  expect(text, tail).toMatch(/kexec_core: Starting new kernel/);
  expect(text, tail).toContain(INIT_MARKER);
  const seen = text.split('\n').find((l) => l.startsWith(CMDLINE_PREFIX));
  expect(seen?.slice(CMDLINE_PREFIX.length).trim()).toBe(expected);
}

function expectSuccess(r: CliResult, expected: string): void {
  expectKexeced(r.stdout, expected);
  expect(r.status, r.stderr).toBe(0);
}

describe.concurrent('gen-purgatory qemu --kexec: Debian kexec-tools on the stock kernel', () => {
  beforeAll(() => { initrd('arm64'); initrd('x86_64'); });

  it('arm64 kexec_load, first kernel booted directly at EL1', async () => {
    expectSuccess(await kexec('arm64', 'arm64-direct', []), cmdline('arm64', 'arm64-direct'));
  });
  it('arm64 kexec_load, first kernel booted by EDK2', async () => {
    expectSuccess(await kexec('arm64', 'arm64-uefi', ['--firmware', 'uefi']), cmdline('arm64', 'arm64-uefi'));
  });
  it('x86_64 kexec_load, first kernel booted by SeaBIOS', async () => {
    expectSuccess(await kexec('x86_64', 'x86-direct', []), cmdline('x86_64', 'x86-direct'));
  });
  it('x86_64 kexec_load, first kernel booted by OVMF', async () => {
    expectSuccess(await kexec('x86_64', 'x86-uefi', ['--firmware', 'uefi']), cmdline('x86_64', 'x86-uefi'));
  });

  it('x86_64 kexec_file_load twice in a row, through runKexec, with timed lines', async () => {
    const expected = cmdline('x86_64', 'x86-file-twice');
    const run = await runKexec({
      arch: 'x86_64', image: debianKernel('x86_64'), initrd: initrd('x86_64'), append: expected,
      syscall: 'kexec_file_load', count: 2, timeoutSec: 280,
    });
    expect(() => judgeKexec(run)).not.toThrow();
    expect(run.output).toContain('gen-purgatory-kexec: stage 1 of 2: loading /kexec/image with kexec -s -l');
    expectKexeced(run.output, expected, 'stage 2 of 2: loading /kexec/image with kexec -s -l');
    // Two kexecs: two "Starting new kernel" lines, each followed by a new kernel's banner.
    const starts = run.lines.filter((l) => l.text.includes('kexec_core: Starting new kernel'));
    expect(starts).toHaveLength(2);
    const banners = run.lines.filter((l) => /\] Linux version /.test(l.text));
    expect(banners).toHaveLength(3);
    expect(banners[1].ms).toBeGreaterThanOrEqual(starts[0].ms);
    expect(run.lines.map((l) => l.ms)).toEqual([...run.lines.map((l) => l.ms)].sort((a, b) => a - b));
  });

  it('a failed load (a garbage image) ends the run with a one-line error, not a hang', async () => {
    const garbage = join(dir, 'garbage.img');
    writeFileSync(garbage, new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24));
    const r = await cliAsync(['qemu', '--kexec', '--arch', 'arm64', garbage, '--timeout', '280']);
    expect(r.status, r.stderr).toBe(1);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/stage 1: kexec -l \/kexec\/image failed with status \d+/);
    expect(r.stdout).toContain('Cannot determine the file type of /kexec/image');
  });
});
