// Appends sections to an existing PE image, the way UKIs are assembled from a
// systemd-stub: new headers go into the free space after the section table, new data
// after everything already in the file. A signature cannot survive the edit, so the
// certificate table is dropped.
import { FormatError, GenError } from '../errors.ts';
import { alignUp, hex } from './bytes.ts';
import { MAX_SECTIONS, SECTION_HEADER_SIZE, parsePe, virtualExtent, type PeInfo } from './pe.ts';

/** IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ: what UKI payload sections use. */
export const SCN_DATA_READONLY = 0x40000040;
const SCN_CNT_INITIALIZED_DATA = 0x40;

export interface NewSection {
  /** At most 8 ASCII bytes, e.g. ".linux". */
  name: string;
  data: Uint8Array;
  /** Defaults to SCN_DATA_READONLY. */
  characteristics?: number;
}

interface Placed {
  section: NewSection;
  virtualAddress: number;
  rawOffset: number;
  rawSize: number;
}

/** Returns a new PE file with `sections` appended, in order; `data` is not modified. */
export function appendSections(data: Uint8Array, file: string, sections: readonly NewSection[]): Uint8Array {
  sections.forEach(checkNewSection);
  const pe = parsePe(data, file);
  checkHeaderRoom(data, file, pe, sections.length);
  const kept = withoutCertificates(data, pe);
  const placed = place(pe, kept.length, sections);
  const last = placed[placed.length - 1];
  const total = last === undefined ? kept.length : last.rawOffset + last.rawSize;
  const out = new Uint8Array(total);
  out.set(kept);
  for (const p of placed) out.set(p.section.data, p.rawOffset);
  writeHeaders(new DataView(out.buffer), pe, placed);
  return out;
}

function checkNewSection(s: NewSection): void {
  if (!/^[\x21-\x7e]{1,8}$/.test(s.name)) {
    throw new GenError(`section name '${s.name}' must be 1 to 8 printable ASCII characters`);
  }
  if (s.data.length === 0) throw new GenError(`section ${s.name} is empty`);
}

/** New headers must fit before SizeOfHeaders and the first section's data, in bytes that are unused (zero). */
function checkHeaderRoom(data: Uint8Array, file: string, pe: PeInfo, adding: number): void {
  const count = pe.numberOfSections + adding;
  if (count > MAX_SECTIONS) {
    throw new FormatError(file, pe.layout.coffOffset + 2, 'NumberOfSections',
      `${pe.numberOfSections} + ${adding} sections exceed the PE limit of ${MAX_SECTIONS}`);
  }
  const start = pe.layout.sectionTableEnd;
  const end = pe.layout.sectionTableOffset + count * SECTION_HEADER_SIZE;
  const firstData = Math.min(...pe.sections.filter((s) => s.rawSize > 0).map((s) => s.rawOffset), data.length);
  const limit = Math.min(pe.sizeOfHeaders, firstData);
  if (end > limit) {
    throw new FormatError(file, start, 'section table',
      `no room for ${adding} more section headers: they would end at 0x${hex(end)} but header space ends at 0x${hex(limit)}`);
  }
  const used = firstUsedByte(data, start, end);
  if (used >= 0) {
    throw new FormatError(file, used, 'section table',
      `no room for ${adding} more section headers: the bytes after the table are in use`);
  }
}

/** Alignment fill a linker or assembler leaves in header space: zero, arm64 NOP, x86 NOP, int3. */
const FILL_WORDS: readonly number[] = [0, 0xd503201f, 0x90909090, 0xcccccccc];

/** Offset of the first byte in [start, end) that is not alignment fill, or -1. */
function firstUsedByte(data: Uint8Array, start: number, end: number): number {
  const firstUsed = (word: number): number => {
    for (let i = start; i < end; i++) {
      if (data[i] !== ((word >>> ((i % 4) * 8)) & 0xff)) return i;
    }
    return -1;
  };
  // The fill that runs furthest decides; -1 means one of them covers everything.
  let best = start;
  for (const word of FILL_WORDS) {
    const at = firstUsed(word);
    if (at < 0) return -1;
    best = Math.max(best, at);
  }
  return best;
}

/** The file without its certificate table (cut off when it is last, as usual, else zeroed). */
function withoutCertificates(data: Uint8Array, pe: PeInfo): Uint8Array {
  const copy = data.slice();
  const cert = pe.certificateTable;
  if (cert === undefined) return copy;
  const dir = pe.layout.dataDirectoryOffset + 4 * 8;
  copy.fill(0, dir, dir + 8);
  if (cert.offset + cert.size >= data.length) return copy.subarray(0, cert.offset);
  copy.fill(0, cert.offset, cert.offset + cert.size);
  return copy;
}

function place(pe: PeInfo, fileEnd: number, sections: readonly NewSection[]): Placed[] {
  const vEnd = Math.max(pe.sizeOfImage, ...pe.sections.map((s) => s.virtualAddress + virtualExtent(s)));
  const rawEnd = Math.max(fileEnd, ...pe.sections.map((s) => s.rawOffset + s.rawSize));
  let va = alignUp(vEnd, pe.sectionAlignment);
  let raw = alignUp(rawEnd, pe.fileAlignment);
  return sections.map((section) => {
    const rawSize = alignUp(section.data.length, pe.fileAlignment);
    const p: Placed = { section, virtualAddress: va, rawOffset: raw, rawSize };
    va = alignUp(va + section.data.length, pe.sectionAlignment);
    raw += rawSize;
    return p;
  });
}

function writeHeaders(view: DataView, pe: PeInfo, placed: readonly Placed[]): void {
  const opt = pe.layout.optionalHeaderOffset;
  let at = pe.layout.sectionTableEnd;
  let initialized = pe.sizeOfInitializedData;
  let imageEnd = pe.sizeOfImage;
  for (const p of placed) {
    const flags = p.section.characteristics ?? SCN_DATA_READONLY;
    writeSectionHeader(view, at, p, flags);
    if ((flags & SCN_CNT_INITIALIZED_DATA) !== 0) initialized += p.rawSize;
    imageEnd = alignUp(p.virtualAddress + p.section.data.length, pe.sectionAlignment);
    at += SECTION_HEADER_SIZE;
  }
  view.setUint16(pe.layout.coffOffset + 2, pe.numberOfSections + placed.length, true);
  view.setUint32(opt + 8, Math.min(initialized, 0xffffffff), true);
  view.setUint32(opt + 56, imageEnd, true);
  view.setUint32(opt + 64, 0, true);
  view.setUint32(opt + 64, peChecksum(new Uint8Array(view.buffer)), true);
}

function writeSectionHeader(view: DataView, at: number, p: Placed, flags: number): void {
  for (let i = 0; i < 8; i++) view.setUint8(at + i, p.section.name.charCodeAt(i) || 0);
  view.setUint32(at + 8, p.section.data.length, true);
  view.setUint32(at + 12, p.virtualAddress, true);
  view.setUint32(at + 16, p.rawSize, true);
  view.setUint32(at + 20, p.rawOffset, true);
  view.setUint32(at + 24, 0, true); // PointerToRelocations
  view.setUint32(at + 28, 0, true); // PointerToLinenumbers
  view.setUint32(at + 32, 0, true); // NumberOfRelocations, NumberOfLinenumbers
  view.setUint32(at + 36, flags >>> 0, true);
}

/** The PE image checksum: 16-bit one's-complement style sum plus the file length (CheckSum field must be zero). */
export function peChecksum(data: Uint8Array): number {
  let sum = 0;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) {
    sum += data[i] | (data[i + 1] << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (even < data.length) {
    sum += data[even];
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ((sum & 0xffff) + data.length) >>> 0;
}
