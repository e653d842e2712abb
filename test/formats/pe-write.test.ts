// appendSections: UKIs built from the real systemd stubs parse back, keep the stub
// intact, follow the alignment rules, drop signatures, and binutils accepts them.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, GenError } from '../../generator/errors.ts';
import { parsePe, sectionBytes, type PeInfo } from '../../generator/formats/pe.ts';
import { appendSections, peChecksum, SCN_DATA_READONLY } from '../../generator/formats/pe-write.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { OPT, certBlob, craftArm64Image, craftPe } from './craft.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pe-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const small = (): Uint8Array => craftArm64Image();

function checksumOf(data: Uint8Array, pe: PeInfo): number {
  const copy = data.slice();
  copy.fill(0, pe.layout.optionalHeaderOffset + 64, pe.layout.optionalHeaderOffset + 68);
  return peChecksum(copy);
}

describe('appendSections on systemd stubs', () => {
  for (const arch of ['arm64', 'x86_64'] as Arch[]) {
    it(`builds a ${arch} UKI that keeps the stub and follows the alignment rules`, () => {
      const stubData = read(systemdStub(arch));
      const before = stubData.slice();
      const stub = parsePe(stubData, 'stub');
      const kernel = small();
      const uki = buildUki({ stub: stubData, kernel, cmdline: 'quiet', osrel: 'ID=x\n', initrd: new Uint8Array(5000).fill(1) });
      expect(stubData).toEqual(before); // input untouched
      const pe = parsePe(uki, 'uki');
      expect(pe.numberOfSections).toBe(stub.numberOfSections + 4);
      expect(pe.sections.slice(0, stub.numberOfSections)).toEqual(stub.sections);
      for (const s of stub.sections) expect(sectionBytes(uki, s)).toEqual(sectionBytes(stubData, s));
      const added = pe.sections.slice(stub.numberOfSections);
      expect(added.map((s) => s.name)).toEqual(['.osrel', '.cmdline', '.initrd', '.linux']);
      let prevEnd = stub.sizeOfImage;
      for (const s of added) {
        expect(s.virtualAddress % pe.sectionAlignment).toBe(0);
        expect(s.virtualAddress).toBeGreaterThanOrEqual(prevEnd);
        expect(s.rawOffset % pe.fileAlignment).toBe(0);
        expect(s.rawSize % pe.fileAlignment).toBe(0);
        expect(s.characteristics).toBe(SCN_DATA_READONLY);
        prevEnd = s.virtualAddress + s.virtualSize;
      }
      const linux = added[3];
      expect(sectionBytes(uki, linux)).toEqual(kernel);
      expect(pe.sizeOfImage).toBe(Math.ceil(prevEnd / pe.sectionAlignment) * pe.sectionAlignment);
      expect(uki.length).toBe(linux.rawOffset + linux.rawSize);
      expect(pe.checkSum).toBe(checksumOf(uki, pe));
    });
  }

  it('computes the PE checksum the way the stub was stamped', () => {
    const data = read(systemdStub('x86_64'));
    const pe = parsePe(data, 'stub');
    expect(pe.checkSum).not.toBe(0);
    expect(checksumOf(data, pe)).toBe(pe.checkSum);
  });
});

describe('certificates', () => {
  it('drops a certificate table at the end of the file', () => {
    const signed = craftPe({ cert: certBlob(0x48) });
    const before = parsePe(signed.data, 'signed');
    const out = appendSections(signed.data, 'signed', [{ name: '.linux', data: small() }]);
    const pe = parsePe(out, 'out');
    expect(pe.certificateTable).toBeUndefined();
    expect(pe.dataDirectories[4]).toMatchObject({ address: 0, size: 0 });
    // the new data starts where the certificate was (rounded to FileAlignment)
    expect(pe.sections[1].rawOffset).toBe(Math.ceil((before.certificateTable?.offset ?? 0) / 0x200) * 0x200);
  });

  it('zeroes a certificate table that is followed by other data', () => {
    const signed = craftPe({ cert: certBlob(0x48) });
    const trailing = new Uint8Array([...signed.data, ...new Uint8Array(0x20).fill(0xee)]);
    const cert = parsePe(trailing, 'x').certificateTable;
    const out = appendSections(trailing, 'x', [{ name: '.linux', data: small() }]);
    expect(parsePe(out, 'out').certificateTable).toBeUndefined();
    expect(out.subarray(cert?.offset, (cert?.offset ?? 0) + (cert?.size ?? 0)).every((b) => b === 0)).toBe(true);
    expect(out[trailing.length - 1]).toBe(0xee);
  });

  it('UKIs from signed Debian kernels keep the kernel signature inside .linux', () => {
    const kernel = read(debianKernel('x86_64'));
    const uki = buildUki({ stub: systemdStub('x86_64'), kernel });
    const pe = parsePe(uki, 'uki');
    expect(pe.certificateTable).toBeUndefined();
    const inner = parsePe(sectionBytes(uki, pe.sections[pe.sections.length - 1]), 'linux');
    expect(inner.certificateTable).toBeDefined();
  });
});

describe('refusals', () => {
  const expectFormatError = (f: () => unknown, field: string, what: RegExp): void => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(FormatError);
      expect((err as FormatError).field).toBe(field);
      expect((err as FormatError).message).toMatch(what);
      return;
    }
    throw new Error('no error');
  };

  it('refuses to overwrite the setup header of a bzImage', () => {
    const bz = read(debianKernel('x86_64'));
    expectFormatError(() => appendSections(bz, 'bz', [{ name: '.a', data: small() }, { name: '.b', data: small() }]),
      'section table', /no room for 2 more section headers: the bytes after the table are in use/);
  });

  it('refuses when SizeOfHeaders leaves no room', () => {
    const tight = craftPe({ sizeOfHeaders: 0x200 });
    const three = [1, 2, 3].map((i) => ({ name: `.s${i}`, data: small() }));
    expect(parsePe(appendSections(tight.data, 't', three), 't').numberOfSections).toBe(4);
    expectFormatError(() => appendSections(tight.data, 't', [...three, { name: '.s4', data: small() }]),
      'section table', /would end at 0x210 but header space ends at 0x200/);
  });

  it('refuses to go past 96 sections', () => {
    const sections = Array.from({ length: 95 }, (_, i) => ({ name: `.s${i}`, size: 0x10 }));
    const full = craftPe({ sections, dirs: 6, sizeOfHeaders: 0x1000 });
    expect(parsePe(appendSections(full.data, 'f', [{ name: '.x', data: small() }]), 'f').numberOfSections).toBe(96);
    expectFormatError(() => appendSections(full.data, 'f', [{ name: '.x', data: small() }, { name: '.y', data: small() }]),
      'NumberOfSections', /95 \+ 2 sections exceed the PE limit of 96/);
  });

  it('refuses bad section names and empty sections', () => {
    const pe = craftPe().data;
    expect(() => appendSections(pe, 'p', [{ name: '.waytoolong', data: small() }])).toThrow(GenError);
    expect(() => appendSections(pe, 'p', [{ name: '', data: small() }])).toThrow(/1 to 8 printable/);
    expect(() => appendSections(pe, 'p', [{ name: '.e', data: new Uint8Array(0) }])).toThrow(/section \.e is empty/);
  });

  it('keeps the header offsets it patched consistent', () => {
    const out = appendSections(craftPe().data, 'p', [{ name: '.linux', data: small() }]);
    expect(new DataView(out.buffer).getUint16(OPT, true)).toBe(0x20b);
  });
});

/** Runs an objdump; undefined when it is not installed. */
function objdump(tool: string, file: string): { status: number | null; stdout: string } | undefined {
  const r = spawnSync(tool, ['-h', file], { encoding: 'utf8' });
  if (r.error) return undefined;
  return { status: r.status, stdout: r.stdout };
}

describe('binutils accepts the UKIs', () => {
  const cases: [Arch, string, () => string][] = [
    ['x86_64', 'objdump', () => debianKernel('x86_64')],
    ['arm64', 'aarch64-linux-gnu-objdump', () => ZBOOT_FIXTURE],
  ];
  for (const [arch, tool, kernel] of cases) {
    const probe = spawnSync(tool, ['--version']);
    it.skipIf(probe.error !== undefined)(`${tool} -h lists the sections of a ${arch} UKI`, () => {
      const uki = buildUki({ stub: systemdStub(arch), kernel: kernel(), cmdline: 'quiet' });
      const file = join(tmp, `${arch}.efi`);
      writeFileSync(file, uki);
      const r = objdump(tool, file);
      expect(r?.status).toBe(0);
      const pe = parsePe(uki, file);
      for (const s of pe.sections) {
        const row = new RegExp(`\\s${s.name.replace('.', '\\.')}\\s+[0-9a-f]+\\s+0*${s.virtualAddress.toString(16)}\\s+[0-9a-f]+\\s+0*${s.rawOffset.toString(16)}\\s`);
        expect(r?.stdout).toMatch(row);
      }
    });
  }
});
