// templates/peloader.ts on the host: PE32+ images placed, zeroed and relocated in the
// simulated memory, malformed ones refused with one line and nothing left allocated.
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadTemplate } from '../support/templates.ts';
import { read, readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { setArchParams, archParam, takeConsole, cleanedForTest } from '../../templates/rt/intrinsics.ts';
import { craftPe, relocBlock, OPT, COFF, type CraftOptions, type Crafted } from '../formats/craft.ts';
import { parsePe, sectionBytes } from '../../generator/formats/pe.ts';
import { systemdStub, type Arch } from '../support/debian.ts';
import { SUCCESS, LOAD_ERROR, UNSUPPORTED, OUT_OF_RESOURCES, readMemoryMap, type MapEntry } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
let t: Record<string, Fn>;
beforeAll(async () => { t = (await loadTemplate('test/templates/harness/image-services.ts')) as Record<string, Fn>; });

const [LOADER_CODE, CONVENTIONAL] = [1n, 7n];
const RAM = 0x8000_0000n;
const RAM_PAGES = 0x200n; // 2 MiB
const SRC = 0x1000_0000n;
const INFO = 0x30_0000n;
const MAP = 0x31_0000n;
const PAGE = 0x1000n;

interface Info { base: bigint; pages: bigint; entry: bigint; sizeOfImage: bigint; subsystem: bigint; sectionAlignment: bigint }

function load(data: Uint8Array, at = SRC, room = 0n): [bigint, Info] {
  writeBytes(at, data);
  const s = t.peLoad(at, BigInt(data.length), room, INFO);
  const f = (i: number): bigint => read(INFO + BigInt(8 * i), 8);
  return [s, { base: f(0), pages: f(1), entry: f(2), sizeOfImage: f(3), subsystem: f(4), sectionAlignment: f(5) }];
}

const memoryMap = (): MapEntry[] => readMemoryMap(t.mmGetMap, MAP);

const pagesOf = (type: bigint): bigint => memoryMap().filter((e) => e.type === type).reduce((n, e) => n + e.pages, 0n);
const zero = (n: number): Uint8Array => new Uint8Array(n);
const set32 = (c: Crafted, at: number, v: number): void => c.view.setUint32(at, v, true);

/** The one console line a refused image leaves; fails the test if there are more. */
function oneLine(): string {
  const lines = takeConsole().split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return lines[0];
}

beforeEach(() => {
  t.mmReset();
  t.mmAdd(RAM, RAM_PAGES, CONVENTIONAL, 8n);
  takeConsole();
});
afterEach(() => setArchParams());

/** An image laid out as the arm64 Image is: each section's file bytes at its RVA. */
function flatImage(): Uint8Array {
  const c = craftPe({ sections: [{ name: '.text', size: 0x180, fill: 0xc3 }, { name: '.data', size: 0x200, vsize: 0x1800, fill: 0x5a }] });
  const flat = new Uint8Array(0x2200).fill(0xee); // junk between the parts must become zeros
  flat.set(c.data.subarray(0, 0x400));
  const sections = OPT + 112 + 16 * 8;
  const v = new DataView(flat.buffer);
  [0x1000, 0x2000].forEach((va, i) => {
    flat.set(c.data.subarray(0x400 + 0x200 * i, 0x400 + 0x200 * i + (i === 0 ? 0x180 : 0x200)), va);
    v.setUint32(sections + 40 * i + 20, va, true); // PointerToRawData = VirtualAddress
  });
  return flat;
}

/** flatImage()'s two sections at their RVAs in the image at `base`, zeros around them. */
function expectFlatLayout(base: bigint, data: Uint8Array): void {
  expect(readBytes(base, 0x400)).toEqual(data.subarray(0, 0x400));
  expect(readBytes(base + 0x400n, 0xc00)).toEqual(zero(0xc00));
  expect(readBytes(base + 0x1000n, 0x180)).toEqual(new Uint8Array(0x180).fill(0xc3));
  expect(readBytes(base + 0x1180n, 0xe80)).toEqual(zero(0xe80));
  expect(readBytes(base + 0x2000n, 0x200)).toEqual(new Uint8Array(0x200).fill(0x5a));
  expect(readBytes(base + 0x2200n, 0x1e00)).toEqual(zero(0x1e00));
  expect(memoryMap().filter((e) => e.type === LOADER_CODE)).toEqual([{ type: LOADER_CODE, start: base, pages: 4n }]);
}

describe('peLoad in place', () => {
  const AT = RAM + 0x10_0000n; // inside the map's RAM, as the loader's image segment is

  it('loads an image laid out at its RVAs where it lies, when the caller owns the room', () => {
    const data = flatImage();
    t.mmAdd(AT, 4n, 4n, 8n); // the segment: boot services data until loaded
    const [s, info] = load(data, AT, 0x4000n);
    expect(s).toBe(SUCCESS);
    expect(info).toMatchObject({ base: AT, pages: 4n, entry: AT + 0x1000n, sizeOfImage: 0x4000n });
    expectFlatLayout(AT, data);
  });

  it('cleans the data cache over every byte it writes, and not over sections it only reads', () => {
    const data = flatImage();
    const v = new DataView(data.buffer);
    const relocDir = OPT + 112 + 5 * 8; // data directory 5: base relocations
    // a DIR64 word in .data (RVA 0x2010), with a relocation directory held in .data's file bytes
    v.setBigUint64(0x2010, 0x1234n, true);
    data.set(relocBlock(0x2000, [0xa010, 0x0000]), 0x2100);
    v.setUint32(relocDir, 0x2100, true);
    v.setUint32(relocDir + 4, 0xc, true);
    expect(v.getUint32(OPT + 112 + 16 * 8 + 40 + 12, true)).toBe(0x2000); // .data's RVA, as assumed
    writeBytes(AT, new Uint8Array(0x4000).fill(0xee));
    writeBytes(AT, data);
    const before = readBytes(AT, 0x4000).slice(); // a copy: readBytes may share the memory
    t.mmAdd(AT, 4n, 4n, 8n);
    cleanedForTest();
    expect(t.peLoad(AT, BigInt(data.length), 0x4000n, INFO)).toBe(SUCCESS);
    const after = readBytes(AT, 0x4000);
    const ranges = cleanedForTest().map(([a, n]) => [Number(a - AT), Number(a - AT + n)]);
    const covered = (o: number): boolean => ranges.some(([lo, hi]) => o >= lo && o < hi);
    const written = [...after.keys()].filter((o) => after[o] !== before[o]);
    expect(read(AT + 0x2010n, 8)).toBe(AT + 0x1234n); // the relocation was applied
    expect(written.filter((o) => !covered(o))).toEqual([]);
    expect([...Array(0x180).keys()].map((o) => 0x1000 + o).filter(covered)).toEqual([]); // .text: untouched
  });

  it.each([
    ['too little room', flatImage(), RAM + 0x10_0000n, 0x3000n],
    ['a misaligned segment', flatImage(), RAM + 0x10_0800n, 0x4000n],
    ['sections away from their RVAs', craftPe({ sections: [{ name: '.text', size: 0x200 }] }).data, RAM + 0x10_0000n, 0x4000n],
  ])('copies instead with %s', (_what, data, at, room) => {
    cleanedForTest();
    const [s, info] = load(data, at, room);
    expect(s).toBe(SUCCESS);
    expect(info.base).not.toBe(at);
    expect(readBytes(info.base, 0x40)).toEqual(data.subarray(0, 0x40));
    expect(cleanedForTest()).toContainEqual([info.base, info.pages * PAGE]); // a copy is new throughout
  });
});

describe('peLoad places an image', () => {
  function twoSections(): Crafted {
    const c = craftPe({
      sections: [
        { name: '.text', size: 0x180, flags: 0x60000020, fill: 0xc3 }, // raw 0x200, virtual 0x180
        { name: '.data', size: 0x200, vsize: 0x1800, fill: 0x5a }, // zero-filled tail
      ],
    });
    c.data.fill(0xee, 0x400 + 0x180, 0x600); // file padding past VirtualSize must not be copied
    return c;
  }

  it('puts the headers at the base, sections at their RVAs and zeros everywhere else', () => {
    const { data } = twoSections();
    writeBytes(RAM + (RAM_PAGES - 0x10n) * PAGE, new Uint8Array(0x10000).fill(0xaa)); // where the image lands
    const [s, info] = load(data);
    expect(s).toBe(SUCCESS);
    const { base } = info;
    expect(info).toEqual({ base, pages: 4n, entry: base + 0x1000n, sizeOfImage: 0x4000n, subsystem: 10n, sectionAlignment: 0x1000n });
    expect(base % PAGE).toBe(0n);
    expectFlatLayout(base, data);
    expect(takeConsole()).toBe('');
  });

  it('applies DIR64 relocations for the actual base and skips ABSOLUTE ones', () => {
    const imageBase = 0x1_4000_0000n;
    const text = new Uint8Array(0x200);
    const tv = new DataView(text.buffer);
    tv.setBigUint64(0x10, imageBase + 0x1234n, true);
    tv.setBigUint64(0x1c, imageBase + 0x2000n, true); // not 8-aligned
    tv.setBigUint64(0x30, 0x1122_3344_5566_7788n, true); // only named by an ABSOLUTE entry
    const reloc = relocBlock(0x1000, [0xa010, 0xa01c, 0x0030, 0x0000]);
    const c = craftPe({ sections: [{ name: '.text', size: 0x200, data: text }], reloc });
    c.view.setBigUint64(OPT + 24, imageBase, true);
    const [s, { base }] = load(c.data);
    expect(s).toBe(SUCCESS);
    expect(read(base + 0x1010n, 8)).toBe(base + 0x1234n);
    expect(read(base + 0x101cn, 8)).toBe(base + 0x2000n);
    expect(read(base + 0x1030n, 8)).toBe(0x1122_3344_5566_7788n);
  });

  it('honours a 64 KiB SectionAlignment and frees the slack around it', () => {
    const c = craftPe({ sections: [{ name: '.text', size: 0x200 }, { name: '.data', size: 0x200 }] });
    set32(c, OPT + 32, 0x10000);
    const [s, info] = load(c.data);
    expect(s).toBe(SUCCESS);
    expect(info.base % 0x10000n).toBe(0n);
    expect(info.sectionAlignment).toBe(0x10000n);
    expect(pagesOf(LOADER_CODE)).toBe(3n);
    expect(pagesOf(CONVENTIONAL)).toBe(RAM_PAGES - 3n);
  });

  it('accepts a SectionAlignment below a page when it equals FileAlignment', () => {
    const c = craftPe();
    set32(c, OPT + 32, 0x200);
    expect(load(c.data)[0]).toBe(SUCCESS);
  });
});

describe('peLoad refuses malformed images', () => {
  const machine = (): number => Number(archParam(0n));
  const cases: [string, () => Uint8Array, RegExp, bigint?][] = [
    ['truncated DOS header', () => craftPe().data.subarray(0, 0x30), /file too small for a DOS header, size 0x30$/],
    ['truncated headers', () => craftPe().data.subarray(0, 0x100), /SizeOfHeaders beyond the file or the image 0x400$/],
    ['e_lfanew out of the file', () => { const c = craftPe(); set32(c, 0x3c, 0x10000); return c.data; }, /PE headers beyond the end of the file, e_lfanew 0x10000$/],
    ['no MZ', () => { const c = craftPe(); c.data[0] = 0x5b; return c.data; }, /no MZ signature, found 0x5a5b$/],
    ['no PE signature', () => { const c = craftPe(); c.data[0x41] = 0; return c.data; }, /no PE signature at 0x40$/],
    ['wrong machine', () => craftPe({ machine: machine() === 0xaa64 ? 0x8664 : 0xaa64 }).data, /image for another machine 0x(8664|aa64)$/, UNSUPPORTED],
    ['PE32 magic', () => { const c = craftPe(); c.view.setUint16(OPT, 0x10b, true); return c.data; }, /not a PE32\+ image, optional header magic 0x10b$/],
    ['SizeOfImage 0', () => { const c = craftPe(); set32(c, OPT + 56, 0); return c.data; }, /bad SizeOfImage 0x0$/],
    ['SectionAlignment not a power of two', () => { const c = craftPe(); set32(c, OPT + 32, 0x3000); return c.data; }, /bad SectionAlignment 0x3000$/],
    ['SectionAlignment below a page', () => { const c = craftPe(); set32(c, OPT + 32, 0x800); return c.data; }, /bad SectionAlignment 0x800$/],
    ['too many sections for the headers', () => { const c = craftPe(); c.view.setUint16(COFF + 2, 30, true); return c.data; }, /too many sections for the headers 0x1e$/],
    ['entry point outside', () => { const c = craftPe(); set32(c, OPT + 16, 0x2000); return c.data; }, /entry point beyond the image at 0x2000$/],
    ['section raw data beyond the file', () => twoSectionsWith((c) => set32(c, c.sectionTable + 40 + 20, 0x10_0000)), /LoadImage: section 1 raw data beyond the file at 0x100000$/],
    ['section beyond SizeOfImage', () => twoSectionsWith((c) => set32(c, OPT + 56, 0x2100)), /LoadImage: section 1 beyond SizeOfImage at 0x2000$/],
    ['section over the headers', () => twoSectionsWith((c) => set32(c, c.sectionTable + 12, 0x200)), /LoadImage: section 0 over the headers at 0x200$/],
    ['relocation directory beyond the image', () => relocWith([0xa000], (c) => set32(c, c.dirOffset + 40, 0x8000)), /relocation directory beyond the image at 0x8000$/],
    ['relocation block beyond the image', () => relocWith([0xa000], undefined, 0x10_0000), /relocation block beyond the image at 0x100000$/],
    ['relocation beyond the image', () => relocWith([0xaffc], undefined, 0x2000), /relocation beyond the image at 0x2ffc$/],
    ['unknown relocation type', () => relocWith([0x3008]), /unknown relocation type 0x3$/],
    ['relocation block size', () => relocWith([0xa000], (c) => set32(c, 0x600 + 4, 6)), /bad relocation block size 0x6$/],
  ];

  function twoSectionsWith(patch: (c: Crafted) => void): Uint8Array {
    const c = craftPe({ sections: [{ name: '.text', size: 0x200 }, { name: '.data', size: 0x200 }] });
    patch(c);
    return c.data;
  }

  /** An image whose relocation block (at file offset 0x600) is for `page` with `entries`. */
  function relocWith(entries: number[], patch?: (c: Crafted) => void, page = 0x1000): Uint8Array {
    const o: CraftOptions = { reloc: relocBlock(page, entries) };
    const c = craftPe(o);
    patch?.(c);
    return c.data;
  }

  it.each(cases)('%s', (_name, make, line, status = LOAD_ERROR) => {
    const [s] = load(make());
    expect(s).toBe(status);
    const text = oneLine();
    expect(text.startsWith('gen-purgatory: LoadImage: ')).toBe(true);
    expect(text).toMatch(line);
    expect(memoryMap()).toEqual([{ type: CONVENTIONAL, start: RAM, pages: RAM_PAGES }]);
  });

  it('reports running out of memory', () => {
    const c = craftPe({ sections: [{ name: '.text', size: 0x200, vsize: 0x30_0000 }] });
    expect(load(c.data)[0]).toBe(OUT_OF_RESOURCES);
    expect(oneLine()).toMatch(/out of memory for the image, pages 0x301$/);
    expect(t.mmCount()).toBe(1n);
  });
});

describe('peLoad loads the real systemd-boot stubs', () => {
  const stubs: [Arch, bigint][] = [['arm64', 0xaa64n], ['x86_64', 0x8664n]];
  it.each(stubs)('%s', (arch, machine) => {
    const file = systemdStub(arch);
    const data = new Uint8Array(readFileSync(file));
    const pe = parsePe(data, file);
    setArchParams([machine, ...Array.from({ length: 9 }, (_, i) => archParam(BigInt(i + 1)))]);
    const [s, info] = load(data);
    expect(s).toBe(SUCCESS);
    expect(takeConsole()).toBe('');
    const { base } = info;
    expect(base % BigInt(Math.max(0x1000, pe.sectionAlignment))).toBe(0n);
    expect(info.entry).toBe(base + BigInt(pe.addressOfEntryPoint));
    expect(info.sizeOfImage).toBe(BigInt(pe.sizeOfImage));
    expect(readBytes(base, pe.sizeOfHeaders)).toEqual(data.subarray(0, pe.sizeOfHeaders));
    // Their relocations, if any, are ABSOLUTE only: every section lands byte for byte.
    expect(Object.keys(pe.relocations?.byType ?? {}).filter((k) => k !== 'ABSOLUTE')).toEqual([]);
    for (const sec of pe.sections) {
      const bytes = sectionBytes(data, sec);
      expect(readBytes(base + BigInt(sec.virtualAddress), bytes.length), sec.name).toEqual(bytes);
    }
    expect(pagesOf(LOADER_CODE)).toBe(info.pages);
  });
});
