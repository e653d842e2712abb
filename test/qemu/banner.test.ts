// The blob under QEMU, started as kexec_load leaves the machine: its first line is the
// banner naming exactly what the loader planned. (efi-boot.test.ts boots the kernels to
// /init, also with the blob at two addresses.)
import { describe, it, expect, beforeAll } from 'vitest';
import { statSync } from 'node:fs';
import { cliAsync, type CliResult } from '../support/cli.ts';
import { debianKernel, type Arch } from '../support/debian.ts';
import { buildInitramfs } from '../support/initramfs.ts';

const APPEND: Record<Arch, string> = {
  arm64: 'console=ttyAMA0 marker=banner-test "quoted arg"',
  x86_64: 'console=ttyS0 marker=banner-test "quoted arg"',
};

interface Banner {
  arch: string; el: string; handoff: bigint; image: bigint; imageSize: bigint;
  initrd: bigint; initrdSize: bigint; cmdline: string;
}

const BANNER = /^gen-purgatory: arch=(\S+) el=(\S) handoff=0x([0-9a-f]+) image=0x([0-9a-f]+)\+0x([0-9a-f]+) initrd=0x([0-9a-f]+)\+0x([0-9a-f]+) cmdline="(.*)"\r?$/m;

function banner(out: string): Banner {
  const m = BANNER.exec(out);
  if (!m) throw new Error(`no banner in:\n${out}`);
  const h = (i: number): bigint => BigInt(`0x${m[i]}`);
  return { arch: m[1], el: m[2], handoff: h(3), image: h(4), imageSize: h(5), initrd: h(6), initrdSize: h(7), cmdline: m[8] };
}

/** Segment addresses from --show-plan's table on stderr. */
function planned(stderr: string, name: string): bigint {
  const m = new RegExp(`^\\s+${name}\\s+0x([0-9a-f]+)`, 'm').exec(stderr);
  if (!m) throw new Error(`no ${name} in plan:\n${stderr}`);
  return BigInt(`0x${m[1]}`);
}

function boot(arch: Arch, initrd: string, extra: string[] = []): Promise<CliResult> {
  return cliAsync(['qemu', '--arch', arch, debianKernel(arch), '--initrd', initrd, '--append', APPEND[arch], '--show-plan', '--timeout', '60', ...extra]);
}

function expectBanner(arch: Arch, r: CliResult, initrd: string, el: string): Banner {
  expect(r.status, r.stderr + r.stdout).toBe(0);
  const b = banner(r.stdout);
  // The banner is the blob's first line; on x86 SeaBIOS and our shim print before it.
  const shim = /^qemu-shim: entering .*\r?\n/m.exec(r.stdout);
  const fromBlob = shim ? r.stdout.slice(shim.index + shim[0].length) : r.stdout;
  expect(fromBlob.trimStart().startsWith('gen-purgatory: arch=')).toBe(true);
  expect(b).toMatchObject({ arch, el, cmdline: APPEND[arch] });
  expect(b.imageSize).toBe(BigInt(statSync(debianKernel(arch)).size));
  expect(b.initrdSize).toBe(BigInt(statSync(initrd).size));
  expect(b.image).toBe(planned(r.stderr, 'image'));
  expect(b.initrd).toBe(planned(r.stderr, 'initrd'));
  expect(b.handoff).toBe(planned(r.stderr, 'handoff'));
  return b;
}

const cases: [Arch, string[], string][] = [
  ['arm64', [], '1'],
  ['arm64', ['--el2'], '2'],
  ['x86_64', [], '-'],
];

describe.each(cases)('qemu --arch %s %j', (arch, extra, el) => {
  let initrd = '';
  beforeAll(() => { initrd = buildInitramfs(arch); });

  it('prints the banner with the planned addresses, sizes and command line first, and the run ends by a power-off', async () => {
    expectBanner(arch, await boot(arch, initrd, extra), initrd, el);
  });
});
