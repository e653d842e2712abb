// Small, fully controlled PE files for the malformed-input and fuzz tests. Layout:
// e_lfanew 0x40, PE32+ optional header with `dirs` data directories, headers padded to
// 0x400, section data from 0x400 at FileAlignment 0x200, sections at 0x1000 steps.
export const FILE_ALIGN = 0x200;
export const SECTION_ALIGN = 0x1000;
export const PE_OFFSET = 0x40;
export const COFF = PE_OFFSET + 4;
export const OPT = COFF + 20;

export interface CraftSection {
  name: string;
  size: number;
  vsize?: number;
  flags?: number;
  fill?: number;
  data?: Uint8Array;
}

export interface CraftOptions {
  machine?: number;
  dirs?: number;
  sections?: CraftSection[];
  /** Raw base relocation directory bytes: placed in a .reloc section and directory 5. */
  reloc?: Uint8Array;
  /** Certificate table bytes appended at EOF (8-byte aligned) and named by directory 4. */
  cert?: Uint8Array;
  sizeOfHeaders?: number;
}

export interface Crafted {
  data: Uint8Array;
  view: DataView;
  dirOffset: number;
  sectionTable: number;
}

const set16 = (v: DataView, at: number, x: number): void => v.setUint16(at, x, true);
const set32 = (v: DataView, at: number, x: number): void => v.setUint32(at, x >>> 0, true);
const align = (x: number, a: number): number => Math.ceil(x / a) * a;

export function craftPe(o: CraftOptions = {}): Crafted {
  const sections = [...(o.sections ?? [{ name: '.text', size: 0x200, flags: 0x60000020, fill: 0xc3 }])];
  if (o.reloc) sections.push({ name: '.reloc', size: o.reloc.length, data: o.reloc, flags: 0x42000040 });
  const dirs = o.dirs ?? 16;
  const sizeOfHeaders = o.sizeOfHeaders ?? 0x400;
  let raw = sizeOfHeaders;
  const placed = sections.map((s, i) => {
    const p = { s, va: SECTION_ALIGN * (i + 1), raw, rawSize: align(s.size, FILE_ALIGN) };
    raw += p.rawSize;
    return p;
  });
  const certAt = align(raw, 8);
  const total = o.cert ? certAt + o.cert.length : raw;
  const data = new Uint8Array(total);
  const v = new DataView(data.buffer);
  data.set([0x4d, 0x5a]);
  set32(v, 0x3c, PE_OFFSET);
  data.set([0x50, 0x45, 0, 0], PE_OFFSET);
  set16(v, COFF, o.machine ?? 0xaa64);
  set16(v, COFF + 2, sections.length);
  set16(v, COFF + 16, 112 + dirs * 8);
  set16(v, COFF + 18, 0x206);
  const last = placed[placed.length - 1];
  writeOptional(v, dirs, sizeOfHeaders, align(last.va + (last.s.vsize ?? last.s.size), SECTION_ALIGN));
  const dirOffset = OPT + 112;
  const sectionTable = OPT + 112 + dirs * 8;
  placed.forEach((p, i) => {
    const h = sectionTable + i * 40;
    for (let j = 0; j < Math.min(8, p.s.name.length); j++) data[h + j] = p.s.name.charCodeAt(j);
    set32(v, h + 8, p.s.vsize ?? p.s.size);
    set32(v, h + 12, p.va);
    set32(v, h + 16, p.rawSize);
    set32(v, h + 20, p.raw);
    set32(v, h + 36, p.s.flags ?? 0x40000040);
    if (p.s.data) data.set(p.s.data, p.raw);
    else data.fill(p.s.fill ?? 0x11, p.raw, p.raw + p.s.size);
    if (p.s.name === '.reloc') { set32(v, dirOffset + 5 * 8, p.va); set32(v, dirOffset + 5 * 8 + 4, p.s.size); }
  });
  if (o.cert) {
    data.set(o.cert, certAt);
    set32(v, dirOffset + 4 * 8, certAt);
    set32(v, dirOffset + 4 * 8 + 4, o.cert.length);
  }
  return { data, view: v, dirOffset, sectionTable };
}

function writeOptional(v: DataView, dirs: number, sizeOfHeaders: number, sizeOfImage: number): void {
  set16(v, OPT, 0x20b);
  set32(v, OPT + 16, SECTION_ALIGN); // entry point: start of the first section
  set32(v, OPT + 20, SECTION_ALIGN);
  set32(v, OPT + 32, SECTION_ALIGN);
  set32(v, OPT + 36, FILE_ALIGN);
  set32(v, OPT + 56, sizeOfImage);
  set32(v, OPT + 60, sizeOfHeaders);
  set16(v, OPT + 68, 10);
  set32(v, OPT + 108, dirs);
}

/** One base relocation block: page RVA plus 16-bit entries (type << 12 | offset). */
export function relocBlock(page: number, entries: number[]): Uint8Array {
  const b = new Uint8Array(8 + entries.length * 2);
  const v = new DataView(b.buffer);
  set32(v, 0, page);
  set32(v, 4, b.length);
  entries.forEach((e, i) => set16(v, 8 + i * 2, e));
  return b;
}

/** A fake WIN_CERTIFICATE of `size` bytes. */
export function certBlob(size: number): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  set32(v, 0, size);
  set16(v, 4, 0x200);
  set16(v, 6, 2);
  return b;
}

/** A tiny arm64 Image with EFI stub (header fields only; the code is filler). */
export function craftArm64Image(): Uint8Array {
  const { data, view } = craftPe({ machine: 0xaa64, dirs: 6 });
  set32(view, 0x08, 0); // text_offset (u64)
  set32(view, 0x10, 0x3000); // image_size
  set32(view, 0x18, 0xa); // LE, 4K, anywhere
  set32(view, 0x38, 0x644d5241);
  return data;
}

/** A tiny arm64 zboot image whose payload is the .text section. */
export function craftZboot(): Uint8Array {
  const { data, view } = craftPe({ machine: 0xaa64, dirs: 6, sections: [{ name: '.text', size: 0x400, fill: 0x1f }] });
  data.set([0x7a, 0x69, 0x6d, 0x67], 4);
  set32(view, 8, 0x400);
  set32(view, 12, 0x300);
  data.set([0x67, 0x7a, 0x69, 0x70], 0x18);
  set32(view, 0x38, 0x818223cd);
  return data;
}

/** A tiny x86_64 bzImage: PE header in the first sector, setup header at 0x1f1. */
export function craftBzImage(): Uint8Array {
  const { data, view } = craftPe({ machine: 0x8664, dirs: 6, sections: [{ name: '.text', size: 0x600 }] });
  data[0x1f1] = 1; // setup_sects: setup is 0x400 bytes
  set32(view, 0x1f4, (data.length - 0x400) / 16); // syssize
  set16(view, 0x1fe, 0xaa55);
  data.set([0xeb, 0x6a, 0x48, 0x64, 0x72, 0x53], 0x200); // jump to 0x26c, "HdrS"
  set16(view, 0x206, 0x20f);
  data[0x211] = 1;
  set32(view, 0x230, 0x200000);
  data[0x234] = 1;
  data[0x235] = 21;
  set16(view, 0x236, 0x7f);
  set32(view, 0x238, 2047);
  set32(view, 0x258, 0x1000000);
  set32(view, 0x260, 0x10000);
  set32(view, 0x264, 0x190);
  return data;
}
