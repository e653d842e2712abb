// The real thing: a Debian first kernel in QEMU runs Debian's kexec-tools 2.0.25 (or the
// kernel's kexec_file_load) on a wrapped image (docs/wrap.md), `kexec -e` enters our
// blob through the way in of the loader (arm64 x0 = DTB, x86_64 rsi = boot_params), and
// the payload's own EFI stub boots it to our initramfs, which prints a marker and the
// command line the new kernel got.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildInitramfs, INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { runKexec, type KexecRequest, type KexecRun } from '../../generator/qemu/kexec.ts';
import { WRAP_RECORD_OFFSET, WR } from '../../generator/loader/layout.ts';

const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
const cmdline = (arch: Arch, name: string): string => `${CONSOLE[arch]} gp.case=${name} "quoted arg"`;
const dir = tempDir('gen-purgatory-kexec-wrapped-');
const initrds = new Map<Arch, string>();
const wraps = new Map<string, string>();

function initrd(arch: Arch): string {
  let p = initrds.get(arch);
  if (!p) initrds.set(arch, (p = buildInitramfs(arch)));
  return p;
}

/** `gen-purgatory wrap IMAGE -o FILE`, once per image. */
function wrap(image: string, name: string): string {
  const out = join(dir, `${name}.wrapped`);
  if (wraps.has(name)) return out;
  const r = cli(['wrap', image, '-o', out]);
  expect(r.status, r.stderr).toBe(0);
  wraps.set(name, out);
  return out;
}

function uki(arch: Arch, name: string, own?: string): string {
  const file = join(dir, `${name}.efi`);
  writeFileSync(file, buildUki({ stub: systemdStub(arch), kernel: debianKernel(arch), initrd: readFileSync(initrd(arch)), cmdline: own, osrel: 'ID=test\n' }));
  return file;
}

function kexec(arch: Arch, image: string, r: Partial<KexecRequest> = {}): Promise<KexecRun> {
  return runKexec({ arch, image, initrd: initrd(arch), timeoutSec: 280, ...r });
}

const text = (run: KexecRun): string => run.lines.map((l) => l.text).join('\n');

/** The blob took over after kexec and the next kernel reached /init with exactly `expected`. */
function expectBooted(run: KexecRun, expected: string, blobs = 1): void {
  const out = text(run);
  const tail = out.slice(-4000);
  expect(run.lines.filter((l) => /^gen-purgatory: arch=/.test(l.text)), tail).toHaveLength(blobs);
  expect(out, tail).not.toMatch(/gen-purgatory: error:/);
  expect(out, tail).toContain(INIT_MARKER);
  const seen = run.lines.find((l) => l.text.startsWith(CMDLINE_PREFIX));
  expect(seen?.text.slice(CMDLINE_PREFIX.length).trim(), tail).toBe(expected);
  expect(run.timedOut, tail).toBe(false);
}

/** The blob stopped the machine with exactly one error line, after kexec, without a hang. */
function expectStopped(run: KexecRun, line: RegExp): void {
  const out = text(run);
  const errors = run.lines.filter((l) => /^gen-purgatory: error:/.test(l.text));
  expect(errors.map((l) => l.text), out.slice(-3000)).toHaveLength(1);
  expect(errors[0].text).toMatch(line);
  expect(out).not.toContain(INIT_MARKER);
  expect(run.timedOut).toBe(false);
}

describe.concurrent('arm64: Debian kexec-tools (kexec_load) on wrapped images', () => {
  beforeAll(() => { initrd('arm64'); });
  const image = (): string => wrap(debianKernel('arm64'), 'arm64-image');

  it('Image, first kernel at EL1 booted by DT', async () => {
    const run = await kexec('arm64', image(), { append: cmdline('arm64', 'el1') });
    expectBooted(run, cmdline('arm64', 'el1'));
    expect(text(run)).toMatch(/^gen-purgatory: arch=arm64 el=1 /m);
  });
  it('Image, first kernel at EL2 (nVHE): entered at EL2', async () => {
    const run = await kexec('arm64', image(), { append: cmdline('arm64', 'el2'), el: 'el2' });
    expectBooted(run, cmdline('arm64', 'el2'));
    expect(text(run)).toMatch(/^gen-purgatory: arch=arm64 el=2 /m);
  });
  it('Image, first kernel with VHE (-cpu max): entered at EL2', async () => {
    const run = await kexec('arm64', image(), { append: cmdline('arm64', 'vhe'), el: 'vhe' });
    expectBooted(run, cmdline('arm64', 'vhe'));
    expect(text(run)).toMatch(/^gen-purgatory: arch=arm64 el=2 /m);
  });
  it('Image, first kernel booted by EDK2 (UEFI memory map, ACPI)', async () => {
    expectBooted(await kexec('arm64', image(), { append: cmdline('arm64', 'uefi'), firmware: 'uefi' }), cmdline('arm64', 'uefi'));
  });
  it('zboot vmlinuz.efi', async () => {
    const run = await kexec('arm64', wrap(ZBOOT_FIXTURE, 'arm64-zboot'), { append: cmdline('arm64', 'zboot') });
    expectBooted(run, cmdline('arm64', 'zboot'));
  });
  it('a UKI with its own .cmdline boots with exactly that, whatever --append says', async () => {
    const own = `${CONSOLE.arm64} gp.case=uki-own`;
    const run = await kexec('arm64', wrap(uki('arm64', 'uki-a64-own', own), 'arm64-uki-own'), { initrd: undefined, append: cmdline('arm64', 'ignored') });
    expectBooted(run, own);
  });
  it('a UKI without .cmdline takes --append', async () => {
    const run = await kexec('arm64', wrap(uki('arm64', 'uki-a64-none'), 'arm64-uki-none'), { initrd: undefined, append: cmdline('arm64', 'uki-append') });
    expectBooted(run, cmdline('arm64', 'uki-append'));
  });
  it('twice in a row: the kernel the blob started kexecs again through it', async () => {
    const run = await kexec('arm64', image(), { append: cmdline('arm64', 'twice'), count: 2 });
    expectBooted(run, cmdline('arm64', 'twice'), 2);
  });
  it('a damaged payload: one console line, the machine stops', async () => {
    const file = join(dir, 'arm64-damaged.wrapped');
    const bytes = readFileSync(image());
    const payload = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(WRAP_RECORD_OFFSET + WR.PAYLOAD, true));
    bytes[payload + 0x10_0000] ^= 0x5a;
    writeFileSync(file, bytes);
    expectStopped(await kexec('arm64', file, { append: cmdline('arm64', 'damaged') }), /payload check failed/);
  });
});

describe.concurrent('x86_64: Debian kexec-tools and kexec_file_load on wrapped images', () => {
  beforeAll(() => { initrd('x86_64'); });
  const image = (): string => wrap(debianKernel('x86_64'), 'x86-bzimage');

  it('bzImage, kexec_load, first kernel booted by SeaBIOS', async () => {
    expectBooted(await kexec('x86_64', image(), { append: cmdline('x86_64', 'load') }), cmdline('x86_64', 'load'));
  });
  it('bzImage, kexec_file_load', async () => {
    expectBooted(await kexec('x86_64', image(), { append: cmdline('x86_64', 'file'), syscall: 'kexec_file_load' }), cmdline('x86_64', 'file'));
  });
  it('bzImage, kexec_load, first kernel booted by OVMF (efi_info, ACPI from the firmware)', async () => {
    expectBooted(await kexec('x86_64', image(), { append: cmdline('x86_64', 'uefi'), firmware: 'uefi' }), cmdline('x86_64', 'uefi'));
  });
  // kexec-tools places top-down, so with RAM above 4 GiB the blob runs there.
  it('bzImage, kexec_load, 5-level paging, placed above 4 GiB', async () => {
    const run = await kexec('x86_64', image(), { append: cmdline('x86_64', 'la57'), la57: true, memoryBytes: 6 * 0x4000_0000 });
    expectBooted(run, cmdline('x86_64', 'la57'));
    const banner = run.lines.find((l) => /^gen-purgatory: arch=x86_64/.test(l.text))!.text;
    expect(BigInt(/image=(0x[0-9a-f]+)/.exec(banner)![1])).toBeGreaterThan(0xffff_ffffn);
  });
  it('a UKI with its own .cmdline, kexec_file_load', async () => {
    const own = `${CONSOLE.x86_64} gp.case=uki-own`;
    const run = await kexec('x86_64', wrap(uki('x86_64', 'uki-x86-own', own), 'x86-uki-own'), { initrd: undefined, append: cmdline('x86_64', 'ignored'), syscall: 'kexec_file_load' });
    expectBooted(run, own);
  });
  it('twice in a row', async () => {
    const run = await kexec('x86_64', image(), { append: cmdline('x86_64', 'twice'), count: 2 });
    expectBooted(run, cmdline('x86_64', 'twice'), 2);
  });
  it('a payload the loader lost the end of: one console line, the machine stops', async () => {
    const file = join(dir, 'x86-truncated.wrapped');
    const bytes = readFileSync(image());
    bytes.fill(0, bytes.length - 16); // the trailer, as a loader that stopped short leaves it
    writeFileSync(file, bytes);
    expectStopped(await kexec('x86_64', file, { append: cmdline('x86_64', 'truncated') }), /truncated by the loader/);
  });
});
