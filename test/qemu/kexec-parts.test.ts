// The real-kexec harness's parts on the host, without booting: the ELF dependency
// reader, the userland closure from the Debian cache, the stage and capture initramfs
// and the capture parser.
import { describe, it, expect } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { elfDeps } from '../../generator/formats/elf-deps.ts';
import { kexecUserland, debianRoots } from '../../generator/qemu/kexec-root.ts';
import { stagesInitramfs, captureInitramfs } from '../../generator/qemu/kexec-initramfs.ts';
import { parseCapture, captureFileName } from '../../generator/qemu/kexec-capture.ts';
import { FormatError, GenError } from '../../generator/errors.ts';
import { busybox, type Arch } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

/** name → bytes of a newc archive (files only), enough to look inside ours. */
function readCpio(data: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (at: number, n: number): string => new TextDecoder().decode(data.subarray(at, at + n));
  const pad = (n: number): number => (n + 3) & ~3;
  for (let at = 0; ;) {
    const field = (i: number): number => parseInt(text(at + 6 + i * 8, 8), 16);
    const [mode, size, nameSize] = [field(1), field(6), field(11)];
    const name = text(at + 110, nameSize - 1);
    if (name === 'TRAILER!!!') return files;
    const body = pad(at + 110 + nameSize);
    if ((mode & 0o170000) === 0o100000) files.set(name, data.subarray(body, body + size));
    at = pad(body + size);
  }
}

describe('ELF dependencies', () => {
  it.each([['arm64', 0xb7, '/lib/ld-linux-aarch64.so.1'], ['x86_64', 0x3e, '/lib64/ld-linux-x86-64.so.2']] as [Arch, number, string][])(
    "%s: Debian's kexec names its loader and libxenctrl", (arch, machine, interp) => {
      const root = debianRoots(arch).find((r) => r.includes('/kexec-tools/'));
      const file = join(root ?? '', 'sbin/kexec');
      const deps = elfDeps(readFileSync(file), file);
      expect(deps).toMatchObject({ machine, interp });
      expect(deps.needed).toEqual(expect.arrayContaining(['libxenctrl.so.4.17', 'libc.so.6']));
    });
  it('a static binary has neither', () => {
    expect(elfDeps(readFileSync(busybox('x86_64')), 'busybox')).toEqual({ machine: 0x3e, interp: undefined, needed: [] });
  });
  it('a file that is not ELF is a FormatError', () => {
    expect(() => elfDeps(new Uint8Array(64), 'zeros')).toThrow(FormatError);
  });
});

describe('the kexec userland', () => {
  it.each(['arm64', 'x86_64'] as Arch[])('%s: kexec, busybox, the loader and the whole library closure', (arch) => {
    const u = kexecUserland(arch);
    const names = u.entries.filter((e) => e.type === 'file').map((e) => e.name);
    expect(u.kexec).toBe('sbin/kexec');
    expect(names).toEqual(expect.arrayContaining(['bin/busybox', 'sbin/kexec']));
    for (const lib of ['libc.so.6', 'libxenctrl.so.4.17', 'libxentoolcore.so.1', 'libxencall.so.1']) {
      expect(names.some((n) => n.endsWith(`/${lib}`)), lib).toBe(true);
    }
  });
  it('a root without the libraries names the missing soname', () => {
    const dir = tempDir('gen-purgatory-kexec-root-');
    mkdirSync(join(dir, 'sbin'));
    mkdirSync(join(dir, 'bin'));
    const kexecRoot = debianRoots('arm64').find((r) => r.includes('/kexec-tools/')) ?? '';
    writeFileSync(join(dir, 'sbin/kexec'), readFileSync(join(kexecRoot, 'sbin/kexec')));
    writeFileSync(join(dir, 'bin/busybox'), readFileSync(busybox('arm64')));
    expect(() => kexecUserland('arm64', [dir])).toThrow(/ld-linux-aarch64\.so\.1, needed by sbin\/kexec|libxenctrl\.so\.4\.17, needed by sbin\/kexec/);
    expect(() => kexecUserland('x86_64', [dir])).toThrow(GenError);
  });
});

describe('the stage initramfs', () => {
  const userland = kexecUserland('x86_64');
  const image = new Uint8Array([1, 2, 3]);
  const cmdline = 'console=ttyS0 "quoted arg" $HOME `x`';

  it('holds the image, the initrd and the command line verbatim; /init never re-quotes it', () => {
    const files = readCpio(stagesInitramfs({ userland, image, initrd: new Uint8Array([9]), cmdline, middleCmdline: 'x', syscall: 'kexec_load', count: 1 }));
    expect(files.get('kexec/image')).toEqual(image);
    expect(files.get('kexec/initrd')).toEqual(new Uint8Array([9]));
    expect(new TextDecoder().decode(files.get('kexec/cmdline'))).toBe(cmdline);
    const init = new TextDecoder().decode(files.get('init'));
    expect(init).toContain('/sbin/kexec -l /kexec/image --initrd=/kexec/initrd --append="$($bb cat /kexec/cmdline)"');
    expect(init).not.toContain('quoted arg');
  });
  it('--twice nests a second stage, whose kernel gets the middle command line', () => {
    const files = readCpio(stagesInitramfs({ userland, image, cmdline, middleCmdline: 'console=ttyS0 mid', syscall: 'kexec_file_load', count: 2 }));
    expect(new TextDecoder().decode(files.get('kexec/cmdline'))).toBe('console=ttyS0 mid');
    expect(new TextDecoder().decode(files.get('init'))).toContain('stage 1 of 2: loading /kexec/image with kexec -s -l');
    const inner = readCpio(files.get('kexec/initrd') ?? new Uint8Array());
    expect(new TextDecoder().decode(inner.get('kexec/cmdline'))).toBe(cmdline);
    expect(inner.has('kexec/initrd')).toBe(false);
    expect(new TextDecoder().decode(inner.get('init'))).toContain('stage 2 of 2');
  });
  it('the capture initramfs dumps the boot data', () => {
    const init = new TextDecoder().decode(readCpio(captureInitramfs(userland)).get('init'));
    for (const f of ['/sys/firmware/fdt', '/sys/kernel/boot_params/data', '/proc/iomem']) expect(init).toContain(f);
  });
});

describe('capture parsing', () => {
  const line = (text: string, ms = 0): { ms: number; text: string } => ({ ms, text });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  it('turns marker lines and base64 back into files', () => {
    const files = parseCapture([
      line('[    1.0] noise'), line('gen-purgatory-capture: begin fdt'), line(b64('abc')), line(b64('def')),
      line('gen-purgatory-capture: end fdt'), line('gen-purgatory-capture: done'),
    ]);
    expect(new TextDecoder().decode(files.get('fdt'))).toBe('abcdef');
  });
  it('fails without the done line, or when a console line breaks into the dump', () => {
    expect(() => parseCapture([line('gen-purgatory-capture: begin fdt')])).toThrow(/did not finish/);
    expect(() => parseCapture([line('gen-purgatory-capture: begin fdt'), line('[ 1.0] kernel: hello')])).toThrow(/broke into the dump of fdt/);
  });
  it('names files by kind and setup_data type', () => {
    expect(captureFileName('arm64-uefi', 'fdt')).toBe('arm64-uefi.dtb');
    expect(captureFileName('x86_64-direct-kexec', 'setup_data.1.type-0x9')).toBe('x86_64-direct-kexec.setup_data-1-type-0x9.bin');
  });
});
