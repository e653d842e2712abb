// PE/COFF parser for EFI images: DOS header, COFF header, optional header (PE32+ and
// PE32), data directories, section table, base relocations and the certificate table.
// It validates everything a loader would trust, so later stages can index the file
// without bounds checks of their own.
import { ByteReader, hex, isPowerOfTwo } from './bytes.ts';

export const MACHINE_X86_64 = 0x8664;
export const MACHINE_ARM64 = 0xaa64;
export const MACHINE_I386 = 0x14c;

/** The PE spec caps NumberOfSections at 96. */
export const MAX_SECTIONS = 96;
export const SECTION_HEADER_SIZE = 40;
const COFF_HEADER_SIZE = 20;
const DIR_CERTIFICATE = 4;
const DIR_BASERELOC = 5;

const MACHINES: Record<number, string> = {
  [MACHINE_I386]: 'i386', [MACHINE_X86_64]: 'x86_64', [MACHINE_ARM64]: 'arm64',
  0x1c2: 'thumb', 0x1c4: 'armv7', 0x5032: 'riscv32', 0x5064: 'riscv64', 0x6264: 'loongarch64',
};
const SUBSYSTEMS: Record<number, string> = {
  10: 'EFI application', 11: 'EFI boot service driver', 12: 'EFI runtime driver', 13: 'EFI ROM',
};
export const DATA_DIRECTORY_NAMES: readonly string[] = [
  'export', 'import', 'resource', 'exception', 'certificate', 'basereloc', 'debug', 'architecture',
  'globalptr', 'tls', 'loadconfig', 'boundimport', 'iat', 'delayimport', 'clr', 'reserved',
];
/** Base relocation types an EFI loader for arm64/x86_64 applies; the rest are rejected. */
const RELOC_TYPES: Record<number, { name: string; width: number }> = {
  0: { name: 'ABSOLUTE', width: 0 }, 1: { name: 'HIGH', width: 2 }, 2: { name: 'LOW', width: 2 },
  3: { name: 'HIGHLOW', width: 4 }, 10: { name: 'DIR64', width: 8 },
};

export interface PeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
  characteristics: number;
  /** File offset of this section's 40-byte header. */
  headerOffset: number;
}

export interface DataDirectory {
  index: number;
  name: string;
  /** An RVA, except for the certificate table where it is a file offset. */
  address: number;
  size: number;
}

export interface RelocationSummary {
  blocks: number;
  entries: number;
  byType: Record<string, number>;
}

export interface CertificateTable {
  offset: number;
  size: number;
}

/** File offsets of the header fields a writer patches. */
export interface PeLayout {
  peOffset: number;
  coffOffset: number;
  optionalHeaderOffset: number;
  dataDirectoryOffset: number;
  sectionTableOffset: number;
  sectionTableEnd: number;
}

export interface PeInfo {
  machine: number;
  machineName: string;
  numberOfSections: number;
  timeDateStamp: number;
  coffCharacteristics: number;
  sizeOfOptionalHeader: number;
  kind: 'PE32+' | 'PE32';
  linkerVersion: string;
  sizeOfCode: number;
  sizeOfInitializedData: number;
  addressOfEntryPoint: number;
  baseOfCode: number;
  imageBase: bigint;
  sectionAlignment: number;
  fileAlignment: number;
  imageVersion: string;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checkSum: number;
  subsystem: number;
  subsystemName: string;
  dllCharacteristics: number;
  numberOfRvaAndSizes: number;
  dataDirectories: DataDirectory[];
  sections: PeSection[];
  relocations?: RelocationSummary;
  certificateTable?: CertificateTable;
  layout: PeLayout;
}

export function machineName(machine: number): string {
  return MACHINES[machine] ?? `unknown (0x${hex(machine)})`;
}

/** Parses and validates a PE/COFF image; throws FormatError on anything malformed. */
export function parsePe(data: Uint8Array, file: string): PeInfo {
  const r: ByteReader = new ByteReader(data, file);
  const peOffset = readDosHeader(r);
  const coff = readCoffHeader(r, peOffset);
  const opt = readOptionalHeader(r, peOffset + 4 + COFF_HEADER_SIZE, coff.sizeOfOptionalHeader);
  const dirs = readDataDirectories(r, opt.dataDirectoryOffset, opt.numberOfRvaAndSizes);
  const sectionTableOffset = opt.offset + coff.sizeOfOptionalHeader;
  const sections = readSections(r, sectionTableOffset, coff.numberOfSections);
  const sectionTableEnd = sectionTableOffset + coff.numberOfSections * SECTION_HEADER_SIZE;
  const info: PeInfo = {
    machine: coff.machine, machineName: machineName(coff.machine),
    numberOfSections: coff.numberOfSections, timeDateStamp: coff.timeDateStamp,
    coffCharacteristics: coff.characteristics, sizeOfOptionalHeader: coff.sizeOfOptionalHeader,
    ...opt.fields, dataDirectories: dirs, sections,
    layout: {
      peOffset, coffOffset: peOffset + 4, optionalHeaderOffset: opt.offset,
      dataDirectoryOffset: opt.dataDirectoryOffset, sectionTableOffset, sectionTableEnd,
    },
  };
  checkImageLayout(r, info);
  checkSections(r, info);
  checkDataDirectories(r, info);
  info.certificateTable = readCertificateTable(r, info);
  info.relocations = readRelocations(r, info);
  return info;
}

function readDosHeader(r: ByteReader): number {
  if (r.u16(0, 'e_magic') !== 0x5a4d) r.fail(0, 'e_magic', 'not "MZ": not a PE/COFF image');
  const peOffset = r.u32(0x3c, 'e_lfanew');
  if (!r.has(peOffset, 4 + COFF_HEADER_SIZE)) {
    r.fail(0x3c, 'e_lfanew', `PE header at 0x${hex(peOffset)} lies past the end of the file (0x${hex(r.size)} bytes)`);
  }
  if (r.u32(peOffset, 'PE signature') !== 0x00004550) {
    r.fail(peOffset, 'PE signature', 'not "PE\\0\\0"');
  }
  return peOffset;
}

interface CoffHeader {
  machine: number;
  numberOfSections: number;
  timeDateStamp: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
}

function readCoffHeader(r: ByteReader, peOffset: number): CoffHeader {
  const at = peOffset + 4;
  const header: CoffHeader = {
    machine: r.u16(at, 'Machine'),
    numberOfSections: r.u16(at + 2, 'NumberOfSections'),
    timeDateStamp: r.u32(at + 4, 'TimeDateStamp'),
    sizeOfOptionalHeader: r.u16(at + 16, 'SizeOfOptionalHeader'),
    characteristics: r.u16(at + 18, 'Characteristics'),
  };
  const n = header.numberOfSections;
  if (n === 0) r.fail(at + 2, 'NumberOfSections', 'is 0: an image needs at least one section');
  if (n > MAX_SECTIONS) r.fail(at + 2, 'NumberOfSections', `${n} is more than the PE limit of ${MAX_SECTIONS}`);
  if (header.sizeOfOptionalHeader === 0) {
    r.fail(at + 16, 'SizeOfOptionalHeader', 'is 0: an object file, not an image');
  }
  return header;
}

type OptionalFields = Pick<PeInfo,
  'kind' | 'linkerVersion' | 'sizeOfCode' | 'sizeOfInitializedData' | 'addressOfEntryPoint' |
  'baseOfCode' | 'imageBase' | 'sectionAlignment' | 'fileAlignment' | 'imageVersion' |
  'sizeOfImage' | 'sizeOfHeaders' | 'checkSum' | 'subsystem' | 'subsystemName' |
  'dllCharacteristics' | 'numberOfRvaAndSizes'>;

interface OptionalHeader {
  offset: number;
  dataDirectoryOffset: number;
  numberOfRvaAndSizes: number;
  fields: OptionalFields;
}

function readOptionalHeader(r: ByteReader, at: number, declaredSize: number): OptionalHeader {
  const magic = r.u16(at, 'OptionalHeader.Magic');
  if (magic !== 0x20b && magic !== 0x10b) {
    r.fail(at, 'OptionalHeader.Magic', `0x${hex(magic)} is neither PE32+ (0x20b) nor PE32 (0x10b)`);
  }
  const plus = magic === 0x20b;
  // PE32 has BaseOfData and 32-bit ImageBase/stack sizes, which shifts the tail by 16.
  const fixed = plus ? 112 : 96;
  const count = r.u32(at + fixed - 4, 'NumberOfRvaAndSizes');
  if (count > 16) r.fail(at + fixed - 4, 'NumberOfRvaAndSizes', `${count} is more than 16`);
  if (declaredSize < fixed + count * 8) {
    r.fail(at - 4, 'SizeOfOptionalHeader',
      `${declaredSize} is too small for a ${plus ? 'PE32+' : 'PE32'} header with ${count} data directories (${fixed + count * 8})`);
  }
  const subsystem = r.u16(at + 68, 'Subsystem');
  const fields: OptionalFields = {
    kind: plus ? 'PE32+' : 'PE32',
    linkerVersion: `${r.u8(at + 2, 'MajorLinkerVersion')}.${r.u8(at + 3, 'MinorLinkerVersion')}`,
    sizeOfCode: r.u32(at + 4, 'SizeOfCode'),
    sizeOfInitializedData: r.u32(at + 8, 'SizeOfInitializedData'),
    addressOfEntryPoint: r.u32(at + 16, 'AddressOfEntryPoint'),
    baseOfCode: r.u32(at + 20, 'BaseOfCode'),
    imageBase: plus ? r.u64(at + 24, 'ImageBase') : BigInt(r.u32(at + 28, 'ImageBase')),
    sectionAlignment: r.u32(at + 32, 'SectionAlignment'),
    fileAlignment: r.u32(at + 36, 'FileAlignment'),
    imageVersion: `${r.u16(at + 44, 'MajorImageVersion')}.${r.u16(at + 46, 'MinorImageVersion')}`,
    sizeOfImage: r.u32(at + 56, 'SizeOfImage'),
    sizeOfHeaders: r.u32(at + 60, 'SizeOfHeaders'),
    checkSum: r.u32(at + 64, 'CheckSum'),
    subsystem,
    subsystemName: SUBSYSTEMS[subsystem] ?? `subsystem ${subsystem}`,
    dllCharacteristics: r.u16(at + 70, 'DllCharacteristics'),
    numberOfRvaAndSizes: count,
  };
  return { offset: at, dataDirectoryOffset: at + fixed, numberOfRvaAndSizes: count, fields };
}

function readDataDirectories(r: ByteReader, at: number, count: number): DataDirectory[] {
  const dirs: DataDirectory[] = [];
  for (let i = 0; i < count; i++) {
    const name = DATA_DIRECTORY_NAMES[i] ?? `directory ${i}`;
    const address = r.u32(at + i * 8, `DataDirectory[${name}].VirtualAddress`);
    const size = r.u32(at + i * 8 + 4, `DataDirectory[${name}].Size`);
    dirs.push({ index: i, name, address, size });
  }
  return dirs;
}

function readSections(r: ByteReader, at: number, count: number): PeSection[] {
  if (!r.has(at, count * SECTION_HEADER_SIZE)) {
    r.fail(at, 'section table',
      `${count} section headers (0x${hex(count * SECTION_HEADER_SIZE)} bytes) run past the end of the file (0x${hex(r.size)} bytes)`);
  }
  const sections: PeSection[] = [];
  for (let i = 0; i < count; i++) {
    const h = at + i * SECTION_HEADER_SIZE;
    sections.push({
      name: sectionName(r.bytes(h, 8, 'section Name')),
      virtualSize: r.u32(h + 8, 'section VirtualSize'),
      virtualAddress: r.u32(h + 12, 'section VirtualAddress'),
      rawSize: r.u32(h + 16, 'section SizeOfRawData'),
      rawOffset: r.u32(h + 20, 'section PointerToRawData'),
      characteristics: r.u32(h + 36, 'section Characteristics'),
      headerOffset: h,
    });
  }
  return sections;
}

/** Section names are 8 NUL-padded bytes; anything unprintable is shown escaped. */
function sectionName(raw: Uint8Array): string {
  let name = '';
  for (const b of raw) {
    if (b === 0) break;
    name += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${hex(b).padStart(2, '0')}`;
  }
  return name;
}

function checkImageLayout(r: ByteReader, pe: PeInfo): void {
  const opt = pe.layout.optionalHeaderOffset;
  if (!isPowerOfTwo(pe.sectionAlignment)) {
    r.fail(opt + 32, 'SectionAlignment', `0x${hex(pe.sectionAlignment)} is not a power of two`);
  }
  if (!isPowerOfTwo(pe.fileAlignment)) {
    r.fail(opt + 36, 'FileAlignment', `0x${hex(pe.fileAlignment)} is not a power of two`);
  }
  if (pe.sizeOfHeaders < pe.layout.sectionTableEnd) {
    r.fail(opt + 60, 'SizeOfHeaders',
      `0x${hex(pe.sizeOfHeaders)} does not cover the headers, which end at 0x${hex(pe.layout.sectionTableEnd)}`);
  }
  if (pe.sizeOfHeaders > pe.sizeOfImage) {
    r.fail(opt + 56, 'SizeOfImage', `0x${hex(pe.sizeOfImage)} is smaller than SizeOfHeaders (0x${hex(pe.sizeOfHeaders)})`);
  }
  if (pe.addressOfEntryPoint >= pe.sizeOfImage) {
    r.fail(opt + 16, 'AddressOfEntryPoint',
      `0x${hex(pe.addressOfEntryPoint)} lies outside the image (SizeOfImage 0x${hex(pe.sizeOfImage)})`);
  }
}

/** Bytes of address space a section occupies: some linkers leave VirtualSize 0. */
export function virtualExtent(s: PeSection): number {
  return s.virtualSize !== 0 ? s.virtualSize : s.rawSize;
}

function checkSections(r: ByteReader, pe: PeInfo): void {
  for (const s of pe.sections) {
    const at = s.headerOffset;
    if (s.rawSize > 0 && !r.has(s.rawOffset, s.rawSize)) {
      r.fail(at + 20, `section ${s.name} PointerToRawData`,
        `raw data 0x${hex(s.rawOffset)}+0x${hex(s.rawSize)} runs past the end of the file (0x${hex(r.size)} bytes)`);
    }
    if (s.virtualAddress < pe.sizeOfHeaders) {
      r.fail(at + 12, `section ${s.name} VirtualAddress`,
        `0x${hex(s.virtualAddress)} maps over the headers (SizeOfHeaders 0x${hex(pe.sizeOfHeaders)})`);
    }
    if (s.virtualAddress + virtualExtent(s) > pe.sizeOfImage) {
      r.fail(at + 8, `section ${s.name} VirtualSize`,
        `0x${hex(s.virtualAddress)}+0x${hex(virtualExtent(s))} extends past SizeOfImage (0x${hex(pe.sizeOfImage)})`);
    }
  }
  const withData = pe.sections.filter((s) => s.rawSize > 0);
  checkOverlap(r, withData, { what: 'raw data', field: 'PointerToRawData', at: 20 }, (s) => s.rawOffset, (s) => s.rawSize);
  checkOverlap(r, pe.sections, { what: 'virtual range', field: 'VirtualAddress', at: 12 }, (s) => s.virtualAddress, virtualExtent);
}

interface OverlapKind { what: string; field: string; at: number }

/** Sorted by start, each range must end before the next begins. */
function checkOverlap(
  r: ByteReader, sections: PeSection[], kind: OverlapKind,
  start: (s: PeSection) => number, length: (s: PeSection) => number,
): void {
  const sorted = [...sections].sort((a, b) => start(a) - start(b));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (start(prev) + length(prev) > start(cur)) {
      r.fail(cur.headerOffset + kind.at, `section ${cur.name} ${kind.field}`,
        `${kind.what} 0x${hex(start(cur))} overlaps section ${prev.name} (0x${hex(start(prev))}+0x${hex(length(prev))})`);
    }
  }
}

function checkDataDirectories(r: ByteReader, pe: PeInfo): void {
  for (const d of pe.dataDirectories) {
    if (d.index === DIR_CERTIFICATE || d.size === 0) continue;
    if (d.address + d.size > pe.sizeOfImage) {
      r.fail(pe.layout.dataDirectoryOffset + d.index * 8, `DataDirectory[${d.name}]`,
        `0x${hex(d.address)}+0x${hex(d.size)} lies outside the image (SizeOfImage 0x${hex(pe.sizeOfImage)})`);
    }
  }
}

/** Maps an RVA range to a file offset, or undefined when it has no file backing. */
export function rvaToOffset(pe: PeInfo, rva: number, size: number): number | undefined {
  if (rva + size <= pe.sizeOfHeaders) return rva;
  for (const s of pe.sections) {
    const backed = Math.min(s.rawSize, virtualExtent(s));
    if (rva >= s.virtualAddress && rva + size <= s.virtualAddress + backed) {
      return s.rawOffset + (rva - s.virtualAddress);
    }
  }
  return undefined;
}

function readCertificateTable(r: ByteReader, pe: PeInfo): CertificateTable | undefined {
  const dir = pe.dataDirectories[DIR_CERTIFICATE];
  if (dir === undefined || dir.size === 0) return undefined;
  const field = 'DataDirectory[certificate]';
  const at = pe.layout.dataDirectoryOffset + DIR_CERTIFICATE * 8;
  if (!r.has(dir.address, dir.size)) {
    r.fail(at, field, `table 0x${hex(dir.address)}+0x${hex(dir.size)} runs past the end of the file (0x${hex(r.size)} bytes)`);
  }
  if (dir.size < 8) r.fail(at + 4, field, `size ${dir.size} is smaller than one WIN_CERTIFICATE header`);
  return { offset: dir.address, size: dir.size };
}

function readRelocations(r: ByteReader, pe: PeInfo): RelocationSummary | undefined {
  const dir = pe.dataDirectories[DIR_BASERELOC];
  if (dir === undefined || dir.size === 0) return undefined;
  const start = rvaToOffset(pe, dir.address, dir.size);
  if (start === undefined) {
    r.fail(pe.layout.dataDirectoryOffset + DIR_BASERELOC * 8, 'DataDirectory[basereloc]',
      `0x${hex(dir.address)}+0x${hex(dir.size)} is not backed by file data of one section`);
  }
  const summary: RelocationSummary = { blocks: 0, entries: 0, byType: {} };
  const end = start + dir.size;
  for (let at = start; at < end;) {
    at += readRelocationBlock(r, pe, at, end, summary);
  }
  return summary;
}

/** Reads one block at file offset `at`; returns its size. */
function readRelocationBlock(r: ByteReader, pe: PeInfo, at: number, end: number, sum: RelocationSummary): number {
  if (at + 8 > end) r.fail(at, 'base relocation block', `header needs 8 bytes but only ${end - at} remain in the directory`);
  const page = r.u32(at, 'base relocation PageRVA');
  const size = r.u32(at + 4, 'base relocation SizeOfBlock');
  if (size < 8 || size % 2 !== 0) r.fail(at + 4, 'base relocation SizeOfBlock', `${size} is not 8 plus a whole number of 2-byte entries`);
  if (at + size > end) {
    r.fail(at + 4, 'base relocation SizeOfBlock', `block of ${size} bytes runs past the end of the directory (0x${hex(end)})`);
  }
  for (let e = at + 8; e < at + size; e += 2) {
    const entry = r.u16(e, 'base relocation entry');
    const type = RELOC_TYPES[entry >> 12];
    if (type === undefined) r.fail(e, 'base relocation entry', `unknown relocation type ${entry >> 12}`);
    const target = page + (entry & 0xfff);
    if (type.width > 0 && target + type.width > pe.sizeOfImage) {
      r.fail(e, 'base relocation entry', `${type.name} target 0x${hex(target)} lies outside the image`);
    }
    sum.byType[type.name] = (sum.byType[type.name] ?? 0) + 1;
    sum.entries++;
  }
  sum.blocks++;
  return size;
}

/** The bytes a section really holds: VirtualSize is exact, SizeOfRawData is padded. */
export function sectionBytes(data: Uint8Array, s: PeSection): Uint8Array {
  const length = Math.min(s.rawSize, virtualExtent(s));
  return data.subarray(s.rawOffset, s.rawOffset + length);
}
