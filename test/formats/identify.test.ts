// identifyImage on real kernels (Debian bookworm cloud, the 6.12 zboot fixture) and on
// UKIs built from systemd-boot-efi 252 stubs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { identifyImage } from '../../generator/formats/image.ts';
import { sectionBytes } from '../../generator/formats/pe.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';

const cache = new Map<string, Uint8Array>();
const load = (path: string): Uint8Array => {
  let data = cache.get(path);
  if (!data) cache.set(path, (data = new Uint8Array(readFileSync(path))));
  return data;
};

describe('real kernels', () => {
  it('identifies the Debian arm64 Image', () => {
    const data = load(debianKernel('arm64'));
    const info = identifyImage(data, 'vmlinuz-arm64');
    expect(info.format).toBe('arm64-image');
    expect(info.arch).toBe('arm64');
    expect(info.size).toBe(data.length);
    expect(info.arm64).toMatchObject({ textOffset: 0, bigEndian: false, pageSize: 4096, magic: 0x644d5241, peOffset: 0x40 });
    expect(info.arm64?.imageSize).toBeGreaterThan(16 << 20);
    expect(info.pe.machine).toBe(0xaa64);
    expect(info.pe.kind).toBe('PE32+');
    expect(info.pe.imageBase).toBe(0n);
    expect(info.pe.sections.map((s) => s.name)).toEqual(['.text', '.data']);
    // Debian signs its kernels: the certificate table ends the file.
    const cert = info.pe.certificateTable;
    expect(cert).toBeDefined();
    expect((cert?.offset ?? 0) + (cert?.size ?? 0)).toBe(data.length);
  });

  it('identifies the Debian x86_64 bzImage', () => {
    const info = identifyImage(load(debianKernel('x86_64')), 'vmlinuz-x86_64');
    expect(info.format).toBe('x86-bzimage');
    expect(info.arch).toBe('x86_64');
    const s = info.bzimage;
    expect(s).toBeDefined();
    if (!s) return;
    expect(s.version).toBeGreaterThanOrEqual(0x20f);
    expect(s.bootFlag).toBe(0xaa55);
    expect(s.xloadflags & 3).toBe(3); // 64-bit entry, loadable above 4G
    expect(s.loadflags & 1).toBe(1);
    expect(s.kernelAlignment).toBe(0x200000);
    expect(s.relocatable).toBe(true);
    expect(s.prefAddress).toBe(0x1000000n);
    expect(s.initSize).toBeGreaterThan(s.sysSize);
    expect(s.kernelInfoOffset).toBeGreaterThan(0);
    expect(s.setupSize).toBe((s.setupSects + 1) * 512);
    expect(info.pe.machine).toBe(0x8664);
    expect(info.pe.sections.map((x) => x.name)).toEqual(['.setup', '.compat', '.text', '.data']);
  });

  it('identifies the arm64 zboot fixture', () => {
    const data = load(ZBOOT_FIXTURE);
    const info = identifyImage(data, 'vmlinuz.efi');
    expect(info.format).toBe('arm64-zboot');
    expect(info.arch).toBe('arm64');
    const z = info.zboot;
    expect(z).toMatchObject({ imageType: 'zimg', compression: 'gzip', linuxPeMagic: 0x818223cd, peOffset: 0x40 });
    // the payload is a gzip stream inside the file
    expect([...data.subarray(z?.payloadOffset, (z?.payloadOffset ?? 0) + 2)]).toEqual([0x1f, 0x8b]);
    expect((z?.payloadOffset ?? 0) + (z?.payloadSize ?? 0)).toBeLessThanOrEqual(data.length);
  });

  it('identifies the systemd stubs as plain PE with relocations on x86_64', () => {
    const x86 = identifyImage(load(systemdStub('x86_64')), 'linuxx64.efi.stub');
    expect(x86).toMatchObject({ format: 'pe', arch: 'x86_64' });
    expect(x86.pe.relocations?.blocks).toBeGreaterThan(0);
    expect(x86.pe.sections.some((s) => s.name === '.sbat')).toBe(true);
    const a64 = identifyImage(load(systemdStub('arm64')), 'linuxaa64.efi.stub');
    expect(a64).toMatchObject({ format: 'pe', arch: 'arm64' });
  });
});

describe('UKIs', () => {
  const cases: [Arch, () => string, string][] = [
    ['arm64', () => debianKernel('arm64'), 'arm64-image'],
    ['x86_64', () => debianKernel('x86_64'), 'x86-bzimage'],
    ['arm64', () => ZBOOT_FIXTURE, 'arm64-zboot'],
  ];
  for (const [arch, kernel, inner] of cases) {
    it(`identifies a ${arch} UKI carrying an ${inner} with .cmdline, .osrel and .initrd`, () => {
      const k = load(kernel());
      const initrd = new Uint8Array(3000).fill(0x5a);
      const cmdline = 'console=ttyAMA0,115200 root=/dev/vda1 quiet — ünïcode';
      const osrel = 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n';
      const uki = buildUki({ stub: load(systemdStub(arch)), kernel: k, initrd, cmdline, osrel });
      const info = identifyImage(uki, 'test.efi');
      expect(info.format).toBe('uki');
      expect(info.arch).toBe(arch);
      const u = info.uki;
      if (!u) throw new Error('no uki');
      expect(u.cmdline).toBe(cmdline);
      expect(u.osrel).toBe(osrel);
      expect(u.uname).toBeUndefined();
      expect(u.linux.format).toBe(inner);
      expect(u.linux.arch).toBe(arch);
      expect(u.linux.size).toBe(k.length);
      expect(u.linux.file).toBe('test.efi:.linux');
      expect(u.profiles).toBe(0);
      const linux = u.sections['.linux'];
      const rd = u.sections['.initrd'];
      if (!linux || !rd) throw new Error('sections missing');
      expect(Buffer.from(sectionBytes(uki, linux)).equals(Buffer.from(k))).toBe(true);
      expect(Buffer.from(sectionBytes(uki, rd)).equals(Buffer.from(initrd))).toBe(true);
      // ukify's order: stub sections, then .osrel, .cmdline, .initrd, .linux last
      expect(info.pe.sections.slice(-4).map((s) => s.name)).toEqual(['.osrel', '.cmdline', '.initrd', '.linux']);
    });
  }

  it('identifies UKIs without .cmdline for both arches', () => {
    for (const arch of ['arm64', 'x86_64'] as const) {
      const uki = buildUki({ stub: load(systemdStub(arch)), kernel: load(debianKernel(arch)) });
      const info = identifyImage(uki, 'plain.efi');
      expect(info.format).toBe('uki');
      expect(info.uki?.cmdline).toBeUndefined();
      expect(info.uki?.osrel).toBeUndefined();
      expect(info.uki?.sections['.initrd']).toBeUndefined();
      expect(info.uki?.linux.format).toBe(arch === 'arm64' ? 'arm64-image' : 'x86-bzimage');
      expect(info.uki?.linux.bzimage?.version ?? 0x20f).toBeGreaterThanOrEqual(0x20f);
    }
  });

  it('rejects a UKI whose .linux is for the other architecture', () => {
    const uki = buildUki({ stub: load(systemdStub('x86_64')), kernel: load(ZBOOT_FIXTURE) });
    expect(() => identifyImage(uki, 'mixed.efi')).toThrow(/mixed\.efi: offset 0x[0-9a-f]+: section \.linux: holds an arm64 kernel but the stub is x86_64/);
  });
});
