// The acceptance boots: real kernels run through their own EFI stubs on top of the
// blob's UEFI emulator, after a kexec-style handoff, up to the busybox /init of our
// initramfs, which prints a marker and the kernel command line it got.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync, type CliResult } from '../support/cli.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildInitramfs, INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';

const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
const dir = tempDir('gen-purgatory-efi-boot-');
const initrds = new Map<Arch, string>();

function initrd(arch: Arch): string {
  let p = initrds.get(arch);
  if (!p) initrds.set(arch, (p = buildInitramfs(arch)));
  return p;
}

function uki(arch: Arch, name: string, cmdline?: string): string {
  const file = join(dir, `${name}.efi`);
  writeFileSync(file, buildUki({ stub: systemdStub(arch), kernel: debianKernel(arch), initrd: readFileSync(initrd(arch)), cmdline, osrel: 'ID=test\n' }));
  return file;
}

function boot(arch: Arch, image: string, args: string[]): Promise<CliResult> {
  return cliAsync(['qemu', '--arch', arch, image, '--timeout', '240', ...args]);
}

/** The run reached /init and the kernel saw exactly `cmdline`. */
function expectInit(r: CliResult, cmdline: string): void {
  const out = r.stdout.replace(/\r/g, '');
  expect(out, r.stderr + out.slice(-3000)).toContain(INIT_MARKER);
  const seen = out.split('\n').find((l) => l.startsWith(CMDLINE_PREFIX));
  expect(seen?.slice(CMDLINE_PREFIX.length).trim()).toBe(cmdline);
  expect(r.status, r.stderr).toBe(0);
}

const arm64 = `${CONSOLE.arm64} gp.case=image "quoted arg"`;
const x86 = `${CONSOLE.x86_64} gp.case=bzimage`;

describe.concurrent('kernels boot through their EFI stub to /init', () => {
  beforeAll(() => { initrd('arm64'); initrd('x86_64'); });

  it('arm64 Image with --initrd at EL1', async () => {
    expectInit(await boot('arm64', debianKernel('arm64'), ['--initrd', initrd('arm64'), '--append', arm64]), arm64);
  });
  it('arm64 Image with --initrd at EL2', async () => {
    expectInit(await boot('arm64', debianKernel('arm64'), ['--initrd', initrd('arm64'), '--append', arm64, '--el2']), arm64);
  });
  it('arm64 Image with --initrd at EL2 with HCR_EL2.E2H set, as a VHE host kexecs', async () => {
    const r = await boot('arm64', debianKernel('arm64'), ['--initrd', initrd('arm64'), '--append', arm64, '--vhe']);
    expectInit(r, arm64);
    expect(r.stdout).toMatch(/^gen-purgatory: arch=arm64 el=2 /m);
  });
  it('x86_64 bzImage with --initrd', async () => {
    expectInit(await boot('x86_64', debianKernel('x86_64'), ['--initrd', initrd('x86_64'), '--append', x86]), x86);
  });
  it('x86_64 bzImage with --initrd, entered with 5-level paging (LA57)', async () => {
    const cmdline = `${CONSOLE.x86_64} gp.case=la57`;
    expectInit(await boot('x86_64', debianKernel('x86_64'), ['--initrd', initrd('x86_64'), '--append', cmdline, '--la57']), cmdline);
  });
  it.each(['arm64', 'x86_64'] as Arch[])('%s UKI with .cmdline and .initrd, no --initrd', async (arch) => {
    const cmdline = `${CONSOLE[arch]} gp.case=uki-${arch}`;
    expectInit(await boot(arch, uki(arch, `uki-${arch}`, cmdline), []), cmdline);
  });
  it('arm64 zboot vmlinuz.efi with --initrd', async () => {
    const cmdline = `${CONSOLE.arm64} gp.case=zboot`;
    expectInit(await boot('arm64', ZBOOT_FIXTURE, ['--initrd', initrd('arm64'), '--append', cmdline]), cmdline);
  });
  it('a UKI without .cmdline takes its command line from --append', async () => {
    const cmdline = `${CONSOLE.arm64} gp.case=uki-append`;
    expectInit(await boot('arm64', uki('arm64', 'uki-no-cmdline'), ['--append', cmdline]), cmdline);
  });
  it.each([['arm64', '0x48000000', '0x7f000000'], ['x86_64', '0x2000000', '0x3e000000']] as [Arch, string, string][])(
    '%s: the same blob bytes boot at %s and %s', async (arch, a, b) => {
      const cmdline = arch === 'arm64' ? arm64 : x86;
      const runs = await Promise.all([a, b].map((at) => boot(arch, debianKernel(arch), ['--initrd', initrd(arch), '--append', cmdline, '--blob-addr', at])));
      runs.forEach((r) => expectInit(r, cmdline));
    });
});
