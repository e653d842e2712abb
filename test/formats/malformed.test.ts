// Crafted malformed files: each must fail with a FormatError that names the field and
// the offset, never a RangeError or a silently wrong answer.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FormatError } from '../../generator/errors.ts';
import { identifyImage } from '../../generator/formats/image.ts';
import { appendSections } from '../../generator/formats/pe-write.ts';
import { debianKernel, systemdStub, ZBOOT_FIXTURE } from '../support/debian.ts';
import {
  COFF, OPT, PE_OFFSET, certBlob, craftArm64Image, craftBzImage, craftPe, craftZboot, relocBlock, type Crafted,
} from './craft.ts';

function formatError(data: Uint8Array, file = 'bad.efi'): FormatError {
  try {
    identifyImage(data, file);
  } catch (err) {
    if (err instanceof FormatError) return err;
    throw new Error(`expected FormatError, got ${String(err)}`);
  }
  throw new Error('expected FormatError, but the file was accepted');
}

function expectError(data: Uint8Array, field: string | RegExp, offset: number, what: RegExp): FormatError {
  const err = formatError(data);
  if (typeof field === 'string') expect(err.field).toBe(field);
  else expect(err.field).toMatch(field);
  expect(err.offset).toBe(offset);
  expect(err.message).toMatch(what);
  expect(err.message.startsWith(`bad.efi: offset 0x${offset.toString(16)}: ${err.field}: `)).toBe(true);
  return err;
}

const relocs = (): Uint8Array => new Uint8Array([...relocBlock(0x1000, [0xa000, 0xa008, 0x3010, 0])]);
const good = (): Crafted => craftPe({ reloc: relocs(), cert: certBlob(0x40) });
const patch = (c: Crafted, at: number, v: number, width: 2 | 4 = 4): Uint8Array => {
  if (width === 2) c.view.setUint16(at, v, true);
  else c.view.setUint32(at, v >>> 0, true);
  return c.data;
};

describe('crafted PE baseline', () => {
  it('the unmodified crafted files are accepted', () => {
    expect(identifyImage(good().data, 'ok').format).toBe('pe');
    expect(identifyImage(craftArm64Image(), 'ok').format).toBe('arm64-image');
    expect(identifyImage(craftZboot(), 'ok').format).toBe('arm64-zboot');
    expect(identifyImage(craftBzImage(), 'ok').format).toBe('x86-bzimage');
  });
});

describe('truncation', () => {
  const boundaries: [number, string | RegExp][] = [
    [0, 'e_magic'], [1, 'e_magic'], [2, 'e_lfanew'], [0x3c, 'e_lfanew'], [0x40, 'e_lfanew'],
    [0x44, 'e_lfanew'], [COFF + 19, 'e_lfanew'], [OPT, 'OptionalHeader.Magic'], [OPT + 50, 'NumberOfRvaAndSizes'],
    [OPT + 112, /^DataDirectory\[export\]/], [OPT + 112 + 128, 'section table'], [OPT + 112 + 128 + 40, 'section table'],
    [0x400, /^section \.text PointerToRawData$/], [0x600, /^section \.reloc PointerToRawData$/],
  ];
  for (const [cut, field] of boundaries) {
    it(`names ${String(field)} when cut at 0x${cut.toString(16)}`, () => {
      const err = formatError(good().data.subarray(0, cut));
      if (typeof field === 'string') expect(err.field).toBe(field);
      else expect(err.field).toMatch(field);
    });
  }

  it('fails with FormatError at every cut of a crafted PE, arm64 Image, zboot and bzImage', () => {
    for (const data of [good().data, craftArm64Image(), craftZboot(), craftBzImage()]) {
      for (let cut = 0; cut < data.length; cut++) formatError(data.subarray(0, cut));
    }
  });

  it('fails with FormatError at every cut in the first 4 KiB of real kernels and stubs', () => {
    const files = [debianKernel('arm64'), debianKernel('x86_64'), ZBOOT_FIXTURE, systemdStub('arm64'), systemdStub('x86_64')];
    for (const file of files) {
      const data = new Uint8Array(readFileSync(file));
      // Trailing bytes no section or certificate covers (the stubs have some) may go.
      const { pe } = identifyImage(data, file);
      const ends = pe.sections.map((s) => s.rawOffset + s.rawSize);
      const covered = Math.max(...ends, (pe.certificateTable?.offset ?? 0) + (pe.certificateTable?.size ?? 0));
      for (let cut = 0; cut < 4096; cut++) formatError(data.subarray(0, cut));
      for (let cut = 4096; cut < covered; cut += Math.ceil(covered / 200)) formatError(data.subarray(0, cut));
    }
  });
});

describe('headers', () => {
  it('e_lfanew past EOF', () => {
    expectError(patch(good(), 0x3c, 0x10000), 'e_lfanew', 0x3c, /PE header at 0x10000 lies past the end of the file/);
  });
  it('bad PE signature', () => {
    expectError(patch(good(), PE_OFFSET, 0x4c45), 'PE signature', PE_OFFSET, /not "PE\\0\\0"/);
  });
  it('absurd section counts', () => {
    expectError(patch(good(), COFF + 2, 97, 2), 'NumberOfSections', COFF + 2, /97 is more than the PE limit of 96/);
    expectError(patch(good(), COFF + 2, 0xffff, 2), 'NumberOfSections', COFF + 2, /65535/);
    expectError(patch(good(), COFF + 2, 0, 2), 'NumberOfSections', COFF + 2, /is 0/);
  });
  it('section table past EOF', () => {
    const c = craftPe({ sizeOfHeaders: 0x200, sections: [{ name: '.text', size: 0x10 }] });
    const data = patch(c, COFF + 2, 40, 2);
    expectError(data, 'section table', c.sectionTable, /40 section headers .* run past the end of the file/);
  });
  it('SizeOfOptionalHeader inconsistent with NumberOfRvaAndSizes', () => {
    expectError(patch(good(), COFF + 16, 112 + 8 * 8, 2), 'SizeOfOptionalHeader', COFF + 16,
      /176 is too small for a PE32\+ header with 16 data directories \(240\)/);
    expectError(patch(good(), OPT + 108, 17), 'NumberOfRvaAndSizes', OPT + 108, /17 is more than 16/);
    expectError(patch(good(), COFF + 16, 0, 2), 'SizeOfOptionalHeader', COFF + 16, /object file/);
  });
  it('bad optional header magic, PE32 for an unsupported machine', () => {
    expectError(patch(good(), OPT, 0x107, 2), 'OptionalHeader.Magic', OPT, /neither PE32\+/);
    const pe32 = craftPe({ machine: 0x14c, dirs: 0 });
    pe32.view.setUint16(OPT, 0x10b, true);
    pe32.view.setUint32(OPT + 92, 0, true);
    pe32.view.setUint16(COFF + 16, 96 + 112 - 96, true);
    expectError(pe32.data, 'Machine', COFF, /i386 images are not supported/);
    pe32.view.setUint16(COFF, 0x8664, true);
    expectError(pe32.data, 'OptionalHeader.Magic', OPT, /PE32 header, but x86_64 images must be PE32\+/);
  });
  it('alignments, SizeOfHeaders and entry point', () => {
    expectError(patch(good(), OPT + 32, 0x1234), 'SectionAlignment', OPT + 32, /not a power of two/);
    expectError(patch(good(), OPT + 36, 0), 'FileAlignment', OPT + 36, /not a power of two/);
    expectError(patch(good(), OPT + 60, 0x100), 'SizeOfHeaders', OPT + 60, /does not cover the headers/);
    expectError(patch(good(), OPT + 16, 0x100000), 'AddressOfEntryPoint', OPT + 16, /outside the image/);
  });
});

describe('sections', () => {
  const twoSections = (): Crafted => craftPe({ sections: [{ name: '.text', size: 0x200 }, { name: '.data', size: 0x200 }] });
  it('raw data past EOF', () => {
    const c = twoSections();
    expectError(patch(c, c.sectionTable + 40 + 16, 0x10000), 'section .data PointerToRawData', c.sectionTable + 40 + 20,
      /raw data 0x600\+0x10000 runs past the end of the file/);
  });
  it('overlapping raw data', () => {
    const c = twoSections();
    expectError(patch(c, c.sectionTable + 40 + 20, 0x500), 'section .data PointerToRawData', c.sectionTable + 40 + 20,
      /raw data 0x500 overlaps section \.text \(0x400\+0x200\)/);
  });
  it('overlapping virtual ranges', () => {
    const c = twoSections();
    expectError(patch(c, c.sectionTable + 40 + 12, 0x1100), 'section .data VirtualAddress', c.sectionTable + 40 + 12,
      /virtual range 0x1100 overlaps section \.text/);
  });
  it('section over the headers or past SizeOfImage', () => {
    const c = twoSections();
    expectError(patch(c, c.sectionTable + 12, 0x200), 'section .text VirtualAddress', c.sectionTable + 12, /maps over the headers/);
    const d = twoSections();
    expectError(patch(d, d.sectionTable + 40 + 8, 0x100000), 'section .data VirtualSize', d.sectionTable + 40 + 8, /extends past SizeOfImage/);
  });
});

describe('relocations and certificates', () => {
  const withReloc = (bytes: number[] | Uint8Array): Uint8Array => craftPe({ reloc: new Uint8Array(bytes) }).data;
  const relocAt = 0x600; // file offset of the crafted .reloc section
  it('block size below 8', () => {
    const b = relocBlock(0x1000, [0xa000, 0]);
    new DataView(b.buffer).setUint32(4, 4, true);
    expectError(withReloc(b), 'base relocation SizeOfBlock', relocAt + 4, /4 is not 8 plus a whole number/);
  });
  it('odd block size', () => {
    const b = new Uint8Array([...relocBlock(0x1000, [0xa000, 0]), 0, 0]);
    new DataView(b.buffer).setUint32(4, 11, true);
    expectError(withReloc(b), 'base relocation SizeOfBlock', relocAt + 4, /11 is not 8 plus/);
  });
  it('block past the end of the directory', () => {
    const b = relocBlock(0x1000, [0xa000, 0]);
    new DataView(b.buffer).setUint32(4, 64, true);
    expectError(withReloc(b), 'base relocation SizeOfBlock', relocAt + 4, /runs past the end of the directory/);
  });
  it('directory ending inside a block header', () => {
    expectError(withReloc([...relocBlock(0x1000, [0xa000, 0]), 0, 0, 0, 0]), 'base relocation block', relocAt + 12, /needs 8 bytes but only 4 remain/);
  });
  it('unknown relocation types', () => {
    expectError(withReloc(relocBlock(0x1000, [0xa000, 0x6010])), 'base relocation entry', relocAt + 10, /unknown relocation type 6/);
    expectError(withReloc(relocBlock(0x1000, [0xb000, 0])), 'base relocation entry', relocAt + 8, /unknown relocation type 11/);
  });
  it('relocation target outside the image', () => {
    expectError(withReloc(relocBlock(0x100000, [0xa000, 0])), 'base relocation entry', relocAt + 8, /DIR64 target 0x100000 lies outside the image/);
  });
  it('relocation directory not backed by a section', () => {
    const c = craftPe({ reloc: relocs() });
    expectError(patch(c, c.dirOffset + 5 * 8, 0x1f00), 'DataDirectory[basereloc]', c.dirOffset + 5 * 8, /not backed by file data/);
  });
  it('certificate table past EOF', () => {
    const c = good();
    expectError(patch(c, c.dirOffset + 4 * 8 + 4, 0x1000), 'DataDirectory[certificate]', c.dirOffset + 4 * 8,
      /table 0x800\+0x1000 runs past the end of the file \(0x840 bytes\)/);
    const d = good();
    expectError(patch(d, d.dirOffset + 4 * 8, 0xffffffff), 'DataDirectory[certificate]', d.dirOffset + 4 * 8, /runs past the end/);
  });
  it('other data directories outside the image', () => {
    const c = good();
    expectError(patch(c, c.dirOffset + 6 * 8 + 4, 0x100000), 'DataDirectory[debug]', c.dirOffset + 6 * 8, /outside the image/);
  });
});

describe('format headers', () => {
  const at = (data: Uint8Array, off: number, v: number): Uint8Array => {
    new DataView(data.buffer).setUint32(off, v, true);
    return data;
  };
  it('arm64 Image: big-endian and absurd image_size', () => {
    expectError(at(craftArm64Image(), 0x18, 0xb), 'flags', 0x18, /big-endian/);
    expectError(at(craftArm64Image(), 0x14, 1), 'image_size', 0x10, /absurd/);
  });
  it('arm64 Image without EFI stub, gzip and ELF files get a hint', () => {
    expectError(at(craftArm64Image(), 0, 0x91005a4d ^ 0x5a4d), 'code0', 0, /without an EFI stub/);
    expectError(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'magic', 0, /gzip-compressed/);
    expectError(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 'magic', 0, /ELF file/);
    expectError(new Uint8Array(0), 'e_magic', 0, /too short/);
  });
  it('zboot: payload past EOF, bad LINUX_PE_MAGIC, empty compression', () => {
    expectError(at(craftZboot(), 12, 0x10000), 'payload_offset', 8, /payload 0x400\+0x10000 runs past the end/);
    expectError(at(craftZboot(), 0x38, 0x12345678), 'linux_pe_magic', 0x38, /not LINUX_PE_MAGIC/);
    expectError(at(craftZboot(), 0x18, 0), 'compress_type', 0x18, /is empty/);
    expectError(at(craftZboot(), 0x18, 0x7a697001), 'compress_type', 0x18, /not printable/);
  });
  it('bzImage: boot flag, protocol version, syssize, alignment', () => {
    const bz = (off: number, v: number, w: 1 | 2 | 4): Uint8Array => {
      const d = craftBzImage();
      const view = new DataView(d.buffer);
      if (w === 1) view.setUint8(off, v); else if (w === 2) view.setUint16(off, v, true); else view.setUint32(off, v, true);
      return d;
    };
    expectError(bz(0x1fe, 0x55aa, 2), 'boot_flag', 0x1fe, /not 0xaa55/);
    expectError(bz(0x206, 0x20a, 2), 'version', 0x206, /2\.10 is older than 2\.11/);
    expectError(bz(0x1f4, 0x1000, 4), 'syssize', 0x1f4, /run past the end of the file/);
    expectError(bz(0x230, 0x3000, 4), 'kernel_alignment', 0x230, /not a power of two/);
    expectError(bz(0x201, 0x20, 1), 'jump', 0x201, /before handover_offset/);
    expectError(bz(0x260, 0, 4), 'init_size', 0x260, /is 0/);
  });
  it('an x86_64 bzImage claiming machine arm64', () => {
    const d = craftBzImage();
    new DataView(d.buffer).setUint16(COFF, 0xaa64, true);
    expectError(d, 'Machine', COFF, /bzImage with PE machine arm64, expected x86_64/);
  });
});

describe('UKI contents', () => {
  const stub = (): Uint8Array => craftPe({ machine: 0xaa64 }).data;
  it('.linux that is not a kernel names the nested file', () => {
    const uki = appendSections(stub(), 'stub', [{ name: '.linux', data: new Uint8Array(100).fill(0x41) }]);
    const err = formatError(uki, 'u.efi');
    expect(err.file).toBe('u.efi:.linux');
    expect(err.message).toMatch(/^u\.efi:\.linux: offset 0x0: e_magic: not "MZ"/);
  });
  it('.cmdline that is not UTF-8', () => {
    const uki = appendSections(stub(), 'stub', [
      { name: '.cmdline', data: new Uint8Array([0x61, 0xff, 0x62]) }, { name: '.linux', data: craftArm64Image() },
    ]);
    const err = formatError(uki);
    expect(err.field).toBe('section .cmdline');
    expect(err.message).toMatch(/not valid UTF-8/);
  });
  it('a UKI nested in a UKI', () => {
    const inner = appendSections(stub(), 'stub', [{ name: '.linux', data: craftArm64Image() }]);
    const outer = appendSections(stub(), 'stub', [{ name: '.linux', data: inner }]);
    expect(formatError(outer).message).toMatch(/:\.linux: .*nested inside a UKI/);
  });
  it('trailing NULs of text sections are dropped', () => {
    const uki = appendSections(stub(), 'stub', [
      { name: '.cmdline', data: new TextEncoder().encode('quiet\0\0') }, { name: '.linux', data: craftArm64Image() },
    ]);
    expect(identifyImage(uki, 'u').uki?.cmdline).toBe('quiet');
  });
});
