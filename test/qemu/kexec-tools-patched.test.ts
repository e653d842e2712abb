// kexec-tools with integrations/kexec-tools/ applied: build.sh builds a static kexec for
// both arches from Debian's source package, and in the real chain (a Debian first kernel
// in QEMU) that kexec loads UKIs and zboot images as they are through its "pe" file type,
// while a plain Image or bzImage still loads the old way, without the blob.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, ROOT, type Arch } from '../support/debian.ts';
import { buildInitramfs, INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { patchedKexec, patchedKexecRoots, type PatchedKexec } from '../support/kexec-tools.ts';
import { elfDeps } from '../../generator/formats/elf-deps.ts';
import { runKexec, type KexecRequest, type KexecRun } from '../../generator/qemu/kexec.ts';

const ARCHES: Arch[] = ['arm64', 'x86_64'];
const ELF_MACHINE: Record<Arch, number> = { arm64: 0xb7, x86_64: 0x3e };
const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
const cmdline = (arch: Arch, name: string): string => `${CONSOLE[arch]} gp.case=${name}`;
const BANNER = /^gen-purgatory: arch=/;
const dir = tempDir('gen-purgatory-kexec-tools-');
const built = new Map<Arch, PatchedKexec>();
const initrds = new Map<Arch, string>();

function initrd(arch: Arch): string {
  let p = initrds.get(arch);
  if (!p) initrds.set(arch, (p = buildInitramfs(arch)));
  return p;
}

/** A UKI carrying its own .cmdline and the test initramfs as .initrd. */
function uki(arch: Arch): string {
  const file = join(dir, `uki-${arch}.efi`);
  if (existsSync(file)) return file;
  writeFileSync(file, buildUki({
    stub: systemdStub(arch), kernel: debianKernel(arch), initrd: readFileSync(initrd(arch)),
    cmdline: cmdline(arch, 'uki-own'), osrel: 'ID=test\n',
  }));
  return file;
}

function kexec(arch: Arch, image: string, r: Partial<KexecRequest>): Promise<KexecRun> {
  const k = built.get(arch);
  if (!k) throw new Error(`no patched kexec for ${arch}: the build failed`);
  return runKexec({ arch, image, kexecRoots: patchedKexecRoots(arch, k), timeoutSec: 280, ...r });
}

/** The next kernel reached /init with exactly `expected`, started by the blob or (blob false) not. */
function expectBooted(run: KexecRun, expected: string, blob: boolean): void {
  const out = run.lines.map((l) => l.text).join('\n');
  const tail = out.slice(-4000);
  expect(run.lines.filter((l) => BANNER.test(l.text)), tail).toHaveLength(blob ? 1 : 0);
  expect(out, tail).not.toMatch(/gen-purgatory: error:/);
  expect(out, tail).toContain(INIT_MARKER);
  const seen = run.lines.find((l) => l.text.startsWith(CMDLINE_PREFIX));
  expect(seen?.text.slice(CMDLINE_PREFIX.length).trim(), tail).toBe(expected);
  expect(run.timedOut, tail).toBe(false);
}

beforeAll(async () => {
  const results = await Promise.all(ARCHES.map(async (arch) => [arch, await patchedKexec(arch)] as const));
  for (const [arch, k] of results) {
    built.set(arch, k);
    if (k.buildSeconds !== undefined) console.log(`build.sh ${arch}: ${k.buildSeconds.toFixed(0)} s`);
  }
});

describe('integrations/kexec-tools/build.sh', () => {
  it.each(ARCHES)('builds a static %s kexec that carries the blob of out/', (arch) => {
    const bin = readFileSync(built.get(arch)!.kexec);
    const deps = elfDeps(bin, 'kexec');
    expect(deps.machine).toBe(ELF_MACHINE[arch]);
    expect(deps.interp).toBeUndefined();
    expect(deps.needed).toEqual([]);
    expect(bin.indexOf(readFileSync(join(ROOT, 'out', arch, 'purgatory.bin')))).toBeGreaterThan(0);
  });
});

describe.concurrent('the patched kexec in the real chain', () => {
  it('arm64: a UKI with its own .cmdline and .initrd, no --append: booted by the blob', async () => {
    // Without --append kexec leaves the first kernel's bootargs in the DT; the UKI's
    // .cmdline wins over them (the blob passes none on, its banner shows cmdline="").
    expectBooted(await kexec('arm64', uki('arm64'), { append: null }), cmdline('arm64', 'uki-own'), true);
  });
  it('x86_64: a UKI with its own .cmdline and .initrd, no --append: booted by the blob', async () => {
    expectBooted(await kexec('x86_64', uki('x86_64'), { append: null }), cmdline('x86_64', 'uki-own'), true);
  });
  it('x86_64: the UKI through kexec_file_load (kexec -s -l, the wrapped image in a memfd)', async () => {
    const run = await kexec('x86_64', uki('x86_64'), { append: null, syscall: 'kexec_file_load' });
    expectBooted(run, cmdline('x86_64', 'uki-own'), true);
    expect(run.lines.map((l) => l.text).join('\n')).toContain('with kexec -s -l');
  });
  it('arm64: zboot vmlinuz.efi with --initrd and --append: booted by the blob', async () => {
    const run = await kexec('arm64', ZBOOT_FIXTURE, { initrd: initrd('arm64'), append: cmdline('arm64', 'zboot') });
    expectBooted(run, cmdline('arm64', 'zboot'), true);
  });
  it('arm64: a plain Image loads as before, without the blob', async () => {
    const run = await kexec('arm64', debianKernel('arm64'), { initrd: initrd('arm64'), append: cmdline('arm64', 'image') });
    expectBooted(run, cmdline('arm64', 'image'), false);
  });
  it('x86_64: a plain bzImage loads as before, without the blob', async () => {
    const run = await kexec('x86_64', debianKernel('x86_64'), { initrd: initrd('x86_64'), append: cmdline('x86_64', 'bzimage') });
    expectBooted(run, cmdline('x86_64', 'bzimage'), false);
  });
});
