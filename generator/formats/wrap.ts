// The wrapped image (docs/wrap.md): the blob and a PE kernel in one file that stock kexec
// loads as an arm64 Image or an x86 bzImage. wrapImage builds it; parseWrapped reads one
// back, checks that it hangs together, and says whether its payload check and trailer verify.
import { FormatError } from '../errors.ts';
import { ByteReader, alignUp, hex } from './bytes.ts';
import { MACHINE_ARM64, MACHINE_X86_64 } from './pe.ts';
import { ARM64_IMAGE_MAGIC, isArm64Image, parseArm64Header, type Arm64Header } from './arm64-image.ts';
import { isBzImage, parseSetupHeader, type SetupHeader } from './bzimage.ts';
import type { ImageArch, ImageInfo } from './image.ts';
import { parseBlobHeader, type BlobHeader } from '../blob/header.ts';
import type { ConsoleChoice } from '../loader/console.ts';
import {
  CON, CONSOLE_KIND, CONSOLE_SPACE, WR, WRAP_BLOB_OFFSET, WRAP_ENTRY_X86_OFFSET, WRAP_FLAG, WRAP_MAGIC,
  WRAP_PE_ENTRY, WRAP_RECORD_OFFSET, WRAP_SIGNATURE_ROOM, WRAP_TRAILER_MAGIC, WRAP_TRAILER_SIZE, WRAP_VERSION, writeConsole,
} from '../loader/layout.ts';
import { targetByName } from '../targets/index.ts';
import { readTrustList } from './trust.ts';
import { wrapPeEnd, wrapSignature, writeWrapPe } from './wrap-pe.ts';
import type { CertificateTable } from './pe.ts';

/** The stock format a wrapped image poses as. */
export type WrapFormat = 'arm64-image' | 'x86-bzimage';

const PAGE = 0x1000;
/** arm64 Image flags: little-endian, 4 KiB pages (the blob's granule), placeable anywhere. */
const ARM64_FLAGS = 0xa;
const ARM64_B = 0x14000000;
/** `ccmp x18, #0, #0xd, pl`: a no-op whose encoding starts with "MZ", as in Linux's EFI-stub Image. */
const ARM64_MZ_NOP = 0xfa405a4d;
/** Where a PE-form wrapper's "PE\0\0" starts: after the arm64 Image header and the record, or in the x86 boot sector. */
const PE_OFFSET: Record<WrapFormat, number> = { 'arm64-image': 0x280, 'x86-bzimage': 0x40 };
const X86_JMP_REL32 = 0xe9;
/** setup_sects = 1: the loaded part starts at file offset 0x400. */
const X86_SETUP_SECTS = 1;
const X86_SETUP_SIZE = (X86_SETUP_SECTS + 1) * 512;
/** Protocol 2.12: every field we fill exists there, and both kexec loaders need at least it. */
const X86_VERSION = 0x020c;
const X86_XLOADFLAGS = 0x33; // KERNEL_64 | CAN_BE_LOADED_ABOVE_4G | EFI_KEXEC | 5LEVEL
const X86_KERNEL_ALIGN = 0x200000;
const U32_MAX = 0xffffffff;

/** What `gen-purgatory wrap` puts together. */
export interface WrapInput {
  /** IMAGE's bytes, carried unchanged. */
  image: Uint8Array;
  /** IMAGE identified by identifyImage(image, file). */
  info: ImageInfo;
  blob: Uint8Array;
  blobHeader: BlobHeader;
  /** Names the blob in errors. */
  blobFile: string;
  /** The console for the record; undefined: none given (the DT or command line decides). */
  console?: ConsoleChoice;
  /** The trust list (formats/trust.ts); given, the wrapper takes its signable PE form. */
  trust?: Uint8Array;
}

/** Where everything sits: offsets from the load address L unless named file offsets. */
interface Layout {
  format: WrapFormat;
  loadedOffset: number;
  payloadOffset: number;
  payloadPages: number;
  trailerOffset: number;
  loadedSize: number;
  /** image_size or init_size: the memory the loaded part owns. */
  memSize: number;
  flags: number;
  /** The trust list's offset (0 without one) and size. */
  trustOffset: number;
  trustSize: number;
}

/** The record as it was read. */
export interface WrapRecord {
  version: number;
  flags: number;
  /** Flag bit 0: the payload is a UKI whose own .cmdline wins over the loader's. */
  ukiCmdline: boolean;
  blobOffset: number;
  payloadOffset: number;
  payloadSize: number;
  payloadPages: number;
  check: bigint;
  loadedSize: number;
  /** Undefined: none given. */
  console?: ConsoleChoice;
  /** Flag bit 1: a trust list at trustOffset, trustSize bytes; both 0 without. */
  trusted: boolean;
  trustOffset: number;
  trustSize: number;
}

export interface WrapTrailer {
  /** File offset. */
  offset: number;
  /** False when the file ends before the 16 bytes. */
  present: boolean;
  magicOk: boolean;
  loadedSize?: bigint;
}

export interface WrappedInfo {
  file: string;
  size: number;
  format: WrapFormat;
  arch: ImageArch;
  /** File offset of the loaded part: 0 (arm64) or the setup sectors (x86). */
  loadedOffset: number;
  /** image_size (arm64) or init_size (x86). */
  memSize: number;
  /** Loaded-part offset the header's code jumps to: the blob's way-in entry. */
  entry: number;
  arm64?: Arm64Header;
  bzimage?: SetupHeader;
  record: WrapRecord;
  blob: BlobHeader;
  trailer: WrapTrailer;
  /** FNV-1a-64 of the payload as it is in the file. */
  computedCheck: bigint;
  checkOk: boolean;
  /** The trailer is there, has its magic and repeats the record's loaded-part size. */
  trailerOk: boolean;
  /** The trust list's DER certificates (empty without --trust). */
  trust: Uint8Array[];
  /** The signature a signer appended after the loaded part (PE form only). */
  signature?: CertificateTable;
}

/**
 * FNV-1a-64 over the little-endian 64-bit words of `data`, the last one zero-padded
 * (docs/wrap.md). Two 32-bit halves: BigInt is ten times slower over a 27 MB kernel.
 */
export function fnv1a64(data: Uint8Array): bigint {
  const whole = data.length - (data.length % 8);
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  const w = wordsOf(data.subarray(0, whole));
  for (let i = 0; i < w.length; i += 2) {
    const xl = (lo ^ w[i]) >>> 0;
    const xh = hi ^ w[i + 1];
    // (h ^ w) * (2^40 + 0x1b3) mod 2^64: the 0x1b3 part by halves, 2^40 shifts lo into hi.
    const low = xl * 0x1b3;
    lo = low >>> 0;
    hi = (Math.imul(xh, 0x1b3) + Math.floor(low / 0x100000000) + (xl << 8)) >>> 0;
  }
  let h = (BigInt(hi) << 32n) | BigInt(lo);
  if (whole < data.length) {
    const tail = new Uint8Array(8);
    tail.set(data.subarray(whole));
    h = ((h ^ new DataView(tail.buffer).getBigUint64(0, true)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bytes as little-endian u32s: a view when the host and alignment allow, else a copy. */
function wordsOf(data: Uint8Array): Uint32Array {
  if (LITTLE_ENDIAN && data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, data.length / 4);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Uint32Array.from({ length: data.length / 4 }, (_, i) => view.getUint32(i * 4, true));
}

/** Builds the wrapped image; throws FormatError naming IMAGE or the blob when they cannot be wrapped. */
export function wrapImage(input: WrapInput): Uint8Array {
  checkPayload(input);
  checkBlob(input);
  const l = planLayout(input);
  const out = new Uint8Array(l.loadedOffset + l.loadedSize);
  const v = new DataView(out.buffer);
  const at = l.loadedOffset;
  writeRecord(v, at + WRAP_RECORD_OFFSET, l, input);
  out.set(input.blob, at + WRAP_BLOB_OFFSET);
  out.set(input.image, at + l.payloadOffset);
  if (input.trust) out.set(input.trust, at + l.trustOffset);
  v.setBigUint64(at + l.trailerOffset, WRAP_TRAILER_MAGIC, true);
  v.setBigUint64(at + l.trailerOffset + 8, BigInt(l.loadedSize), true);
  const entry = WRAP_BLOB_OFFSET + input.blobHeader.wayinOffset;
  if (l.format === 'arm64-image') writeArm64Header(v, l, entry, input.trust !== undefined);
  else writeX86Header(v, l, entry, input.info.pe.sectionAlignment);
  if (input.trust) {
    writeWrapPe(out, {
      peOffset: PE_OFFSET[l.format], machine: input.info.pe.machine, end: out.length,
      entry: at + WRAP_PE_ENTRY, entryCode: targetByName(input.info.arch).efiUnsupportedEntry,
    });
  }
  return out;
}

/** IMAGE must be what identifyImage said, and something the blob boots (and, with a trust list, signed). */
function checkPayload({ image, info, trust }: WrapInput): void {
  const r: ByteReader = new ByteReader(image, info.file);
  if (trust && !info.pe.certificateTable) {
    r.fail(info.pe.layout.dataDirectoryOffset + 4 * 8, 'DataDirectory[certificate]',
      'IMAGE has no Authenticode signature, so the blob would refuse to start it: sign IMAGE first (sbsign, pesign), then wrap it');
  }
  if (info.size !== image.length) r.fail(0, 'size', `identified as ${info.size} bytes, but ${image.length} were given`);
  if (info.format === 'pe') {
    r.fail(info.pe.layout.peOffset, 'PE header',
      'a PE image, but not an EFI-stub kernel (arm64 Image, zboot, bzImage) or a UKI: nothing the blob boots');
  }
}

/** The blob must be of IMAGE's machine and its way-in entry must be code a branch reaches. */
function checkBlob({ blob, blobHeader: h, blobFile, info }: WrapInput): void {
  if (h.machine !== info.pe.machine) {
    throw new FormatError(blobFile, 0x0c, 'arch', `blob for machine 0x${hex(h.machine)}, but IMAGE is ${info.arch} (0x${hex(info.pe.machine)})`);
  }
  if (h.fileSize !== blob.length) throw new FormatError(blobFile, 0x18, 'file size', `header says 0x${hex(h.fileSize)}, blob has 0x${hex(blob.length)}`);
  if (h.align === 0 || WRAP_BLOB_OFFSET % h.align !== 0 || h.align > X86_KERNEL_ALIGN) {
    throw new FormatError(blobFile, 0x28, 'alignment', `0x${hex(h.align)}: the wrapped image places the blob at L + 0x${hex(WRAP_BLOB_OFFSET)}`);
  }
  // Offset 0 is what blobs built before the way in say: branching there runs the header.
  if (h.wayinOffset < h.headerSize || h.wayinOffset >= h.fileSize) {
    throw new FormatError(blobFile, 0x38, 'way-in entry offset', `0x${hex(h.wayinOffset)} is not code: this blob has no way-in entry (regenerate it)`);
  }
  if (info.arch === 'arm64' && h.wayinOffset % 4 !== 0) {
    throw new FormatError(blobFile, 0x38, 'way-in entry offset', `0x${hex(h.wayinOffset)} is not a multiple of 4: no arm64 branch reaches it`);
  }
}

function planLayout({ image, info, blobHeader, trust }: WrapInput): Layout {
  const format: WrapFormat = info.arch === 'arm64' ? 'arm64-image' : 'x86-bzimage';
  const loadedOffset = format === 'x86-bzimage' ? X86_SETUP_SIZE : 0;
  const payloadOffset = alignUp(WRAP_BLOB_OFFSET + blobHeader.memSize, Math.max(PAGE, info.pe.sectionAlignment));
  const payloadPages = Math.ceil(Math.max(info.pe.sizeOfImage, image.length) / PAGE);
  const trustOffset = trust ? payloadOffset + alignUp(image.length, 8) : 0;
  const trustSize = trust?.length ?? 0;
  const bodyEnd = trust ? trustOffset + trustSize : payloadOffset + alignUp(image.length, 8);
  // The PE form ends on the file alignment, so the section covers the loaded part exactly.
  const loadedSize = trust ? wrapPeEnd(loadedOffset + bodyEnd + WRAP_TRAILER_SIZE) - loadedOffset : bodyEnd + WRAP_TRAILER_SIZE;
  const trailerOffset = loadedSize - WRAP_TRAILER_SIZE;
  // A signer appends its signature to the file, and loaders refuse (kexec_file_load) or
  // drop (kexec-tools) file bytes past image_size/init_size: leave room for it.
  const owned = loadedSize + (trust ? WRAP_SIGNATURE_ROOM : 0);
  const memSize = alignUp(Math.max(owned, payloadOffset + payloadPages * PAGE), PAGE);
  if (format === 'x86-bzimage' && memSize > U32_MAX) {
    throw new FormatError(info.file, info.pe.layout.optionalHeaderOffset + 56, 'SizeOfImage',
      `wrapped, IMAGE needs 0x${hex(memSize)} bytes of memory: more than the bzImage's 32-bit init_size holds`);
  }
  const flags = (info.uki?.cmdline !== undefined && info.uki.cmdline.length > 0 ? WRAP_FLAG.ukiCmdline : 0) | (trust ? WRAP_FLAG.trust : 0);
  return { format, loadedOffset, payloadOffset, payloadPages, trailerOffset, loadedSize, memSize, flags, trustOffset, trustSize };
}

function writeRecord(v: DataView, at: number, l: Layout, input: WrapInput): void {
  v.setBigUint64(at + WR.MAGIC, WRAP_MAGIC, true);
  v.setUint32(at + WR.VERSION, WRAP_VERSION, true);
  v.setUint32(at + WR.FLAGS, l.flags, true);
  v.setBigUint64(at + WR.BLOB, BigInt(WRAP_BLOB_OFFSET), true);
  v.setBigUint64(at + WR.PAYLOAD, BigInt(l.payloadOffset), true);
  v.setBigUint64(at + WR.PAYLOAD_SIZE, BigInt(input.image.length), true);
  v.setBigUint64(at + WR.PAYLOAD_PAGES, BigInt(l.payloadPages), true);
  v.setBigUint64(at + WR.CHECK, fnv1a64(input.image), true);
  v.setBigUint64(at + WR.LOADED_SIZE, BigInt(l.loadedSize), true);
  writeConsole(v, at + WR.CONSOLE, input.console);
  v.setBigUint64(at + WR.TRUST, BigInt(l.trustOffset), true);
  v.setBigUint64(at + WR.TRUST_SIZE, BigInt(l.trustSize), true);
}

/**
 * The arm64 Image header (Documentation/arch/arm64/booting.rst) at file offset 0. In PE
 * form code0 is the "MZ" no-op and code1 the branch, as in an EFI-stub Image.
 */
function writeArm64Header(v: DataView, l: Layout, entry: number, pe: boolean): void {
  if (pe) {
    v.setUint32(0x00, ARM64_MZ_NOP, true);
    v.setUint32(0x04, ARM64_B | ((entry - 4) / 4), true);
  } else {
    v.setUint32(0x00, ARM64_B | (entry / 4), true); // b entry: imm26 in words, forward
  }
  v.setBigUint64(0x08, 0n, true); // text_offset
  v.setBigUint64(0x10, BigInt(l.memSize), true); // image_size
  v.setBigUint64(0x18, BigInt(ARM64_FLAGS), true);
  v.setUint32(0x38, ARM64_IMAGE_MAGIC, true);
}

/** The x86 setup header (Documentation/arch/x86/boot.rst) and the 64-bit entry's jump. */
function writeX86Header(v: DataView, l: Layout, entry: number, sectionAlignment: number): void {
  v.setUint8(0x1f1, X86_SETUP_SECTS);
  // syssize in whole paragraphs: it never claims bytes past the end of the file (kexec ignores it)
  v.setUint32(0x1f4, Math.floor(l.loadedSize / 16), true);
  v.setUint16(0x1fe, 0xaa55, true);
  v.setUint16(0x200, 0x6aeb, true); // jmp 0x26c: also how much of the header kexec copies
  v.setUint32(0x202, 0x53726448, true); // "HdrS"
  v.setUint16(0x206, X86_VERSION, true);
  v.setUint8(0x211, 1); // loadflags: LOADED_HIGH
  v.setUint32(0x214, 0x100000, true); // code32_start
  v.setUint32(0x22c, 0x7fffffff, true); // initrd_addr_max, as Linux says
  v.setUint32(0x230, Math.max(X86_KERNEL_ALIGN, sectionAlignment), true); // so IMAGE lands aligned
  v.setUint8(0x234, 1); // relocatable_kernel
  v.setUint8(0x235, 12); // min_alignment: the blob needs 4 KiB
  v.setUint16(0x236, X86_XLOADFLAGS, true);
  v.setUint32(0x238, 2047, true); // cmdline_size
  v.setBigUint64(0x258, 0x1000000n, true); // pref_address
  v.setUint32(0x260, l.memSize, true); // init_size
  const jump = l.loadedOffset + WRAP_ENTRY_X86_OFFSET;
  v.setUint8(jump, X86_JMP_REL32);
  v.setInt32(jump + 1, entry - (WRAP_ENTRY_X86_OFFSET + 5), true);
}

/** Where a wrapped image keeps its loaded part and record. */
export interface WrapLocation {
  format: WrapFormat;
  /** File offset of the loaded part. */
  loadedOffset: number;
}

/** Where the GPWRAPIN record says `data` is a wrapped image; undefined when it is not one. */
export function findWrapRecord(data: Uint8Array): WrapLocation | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const recordAt = (base: number): boolean =>
    base + WRAP_RECORD_OFFSET + 8 <= data.length && view.getBigUint64(base + WRAP_RECORD_OFFSET, true) === WRAP_MAGIC;
  if (isArm64Image(data) && recordAt(0)) return { format: 'arm64-image', loadedOffset: 0 };
  if (!isBzImage(data)) return undefined;
  const setup = ((data[0x1f1] === 0 ? 4 : data[0x1f1]) + 1) * 512;
  return recordAt(setup) ? { format: 'x86-bzimage', loadedOffset: setup } : undefined;
}

/** Reads and checks a wrapped image; throws FormatError when it does not hang together. */
export function parseWrapped(data: Uint8Array, file: string): WrappedInfo {
  const r: ByteReader = new ByteReader(data, file);
  const where = findWrapRecord(data);
  if (where === undefined) {
    r.fail(WRAP_RECORD_OFFSET, 'wrap record', 'no GPWRAPIN record at offset 0x100 of the loaded part: not a wrapped image');
  }
  const base = where.loadedOffset;
  const record = readRecord(r, base + WRAP_RECORD_OFFSET);
  const blob = readBlob(r, base + record.blobOffset, where.format);
  checkRecord(r, base + WRAP_RECORD_OFFSET, record, blob);
  const payload = r.bytes(base + record.payloadOffset, record.payloadSize, 'payload');
  const computedCheck = fnv1a64(payload);
  const trailer = readTrailer(r, base + record.loadedSize - WRAP_TRAILER_SIZE);
  // A load cut short may have lost the list; the trailer then says so.
  const trust = record.trusted && r.has(base + record.trustOffset, record.trustSize) ? readTrustList(r, base + record.trustOffset, record.trustSize) : [];
  const head = readHead(r, where, record);
  if (head.entry !== record.blobOffset + blob.wayinOffset) {
    r.fail(head.entryAt, 'entry', `jumps to 0x${hex(head.entry)}, not to the blob's way-in entry 0x${hex(record.blobOffset + blob.wayinOffset)}`);
  }
  return {
    file, size: data.length, format: where.format, arch: where.format === 'arm64-image' ? 'arm64' : 'x86_64',
    loadedOffset: base, ...head.fields, record, blob, trailer, computedCheck,
    checkOk: computedCheck === record.check,
    trailerOk: trailer.present && trailer.magicOk && trailer.loadedSize === BigInt(record.loadedSize),
    trust, ...signatureOf(data, file, record),
  };
}

/** File offset of the loaded part's end: setup sectors (x86) or 0, plus its size. */
function loadedEnd(data: Uint8Array, rec: WrapRecord): number {
  return (findWrapRecord(data)?.loadedOffset ?? 0) + rec.loadedSize;
}

/** A PE-form wrapper's appended signature; none before the loaded part is complete. */
function signatureOf(data: Uint8Array, file: string, rec: WrapRecord): { signature?: CertificateTable } {
  if (!rec.trusted || data[0] !== 0x4d || data[1] !== 0x5a || data.length < loadedEnd(data, rec)) return {};
  const signature = wrapSignature(data, file);
  return signature ? { signature } : {};
}

/** The payload bytes of a wrapped image parseWrapped has read. */
export function wrappedPayload(data: Uint8Array, w: WrappedInfo): Uint8Array {
  const at = w.loadedOffset + w.record.payloadOffset;
  return data.subarray(at, at + w.record.payloadSize);
}

function readRecord(r: ByteReader, at: number): WrapRecord {
  const version = r.u32(at + WR.VERSION, 'wrap record version');
  if (version !== WRAP_VERSION) r.fail(at + WR.VERSION, 'wrap record version', `${version} is not ${WRAP_VERSION}`);
  const flags = r.u32(at + WR.FLAGS, 'wrap record flags');
  if ((flags & ~(WRAP_FLAG.ukiCmdline | WRAP_FLAG.trust)) !== 0) r.fail(at + WR.FLAGS, 'wrap record flags', `unknown bits in 0x${hex(flags)}`);
  const size = (off: number, field: string, limit: number = Number.MAX_SAFE_INTEGER): number => r.u64Small(at + off, `wrap record ${field}`, limit);
  const blobOffset = size(WR.BLOB, 'blob offset');
  if (blobOffset !== WRAP_BLOB_OFFSET) r.fail(at + WR.BLOB, 'wrap record blob offset', `0x${hex(blobOffset)} is not 0x${hex(WRAP_BLOB_OFFSET)}`);
  const record: WrapRecord = {
    version, flags, ukiCmdline: (flags & WRAP_FLAG.ukiCmdline) !== 0,
    blobOffset,
    payloadOffset: size(WR.PAYLOAD, 'payload offset'),
    payloadSize: size(WR.PAYLOAD_SIZE, 'payload size'),
    payloadPages: size(WR.PAYLOAD_PAGES, 'payload pages', U32_MAX),
    check: r.u64(at + WR.CHECK, 'wrap record payload check'),
    loadedSize: size(WR.LOADED_SIZE, 'loaded-part size'),
    trusted: (flags & WRAP_FLAG.trust) !== 0,
    trustOffset: size(WR.TRUST, 'trust list offset'),
    trustSize: size(WR.TRUST_SIZE, 'trust list size'),
  };
  if (!record.trusted && (record.trustOffset !== 0 || record.trustSize !== 0)) {
    r.fail(at + WR.TRUST, 'wrap record trust list', 'an offset or size without flag bit 1');
  }
  const con = readConsole(r, at + WR.CONSOLE);
  if (con !== undefined) record.console = con;
  return record;
}

/** The 32-byte console description back as a choice; kind 0 is none given. */
function readConsole(r: ByteReader, at: number): ConsoleChoice | undefined {
  const kind = r.u32(at + CON.KIND, 'console kind');
  if (kind === CONSOLE_KIND.none) return undefined;
  const space = r.u32(at + CON.SPACE, 'console space');
  if (space !== CONSOLE_SPACE.mmio && space !== CONSOLE_SPACE.io) r.fail(at + CON.SPACE, 'console space', `unknown space ${space}`);
  const desc = {
    space: space === CONSOLE_SPACE.io ? 'io' as const : 'mmio' as const,
    base: r.u64(at + CON.BASE, 'console base'),
    regShift: r.u32(at + CON.SHIFT, 'console shift'),
    regWidth: r.u32(at + CON.WIDTH, 'console width'),
  };
  const baud = r.u32(at + CON.BAUD, 'console baud');
  const withBaud = baud === 0 ? {} : { baud };
  if (kind === CONSOLE_KIND.pl011) return { kind: 'pl011', ...desc, ...withBaud };
  if (kind === CONSOLE_KIND['16550']) return { kind: '16550', ...desc, ...withBaud };
  return r.fail(at + CON.KIND, 'console kind', `unknown kind ${kind}`);
}

function readBlob(r: ByteReader, at: number, format: WrapFormat): BlobHeader {
  const size = r.u64Small(at + 0x18, 'blob file size', r.size);
  const header = parseBlobHeader(r.bytes(at, size, 'blob'), `${r.file}:blob`);
  const machine = format === 'arm64-image' ? MACHINE_ARM64 : MACHINE_X86_64;
  if (header.machine !== machine) r.fail(at + 0x0c, 'blob arch', `machine 0x${hex(header.machine)} in a ${format} wrapper`);
  return header;
}

/** The record's numbers must describe the layout of docs/wrap.md. */
function checkRecord(r: ByteReader, at: number, rec: WrapRecord, blob: BlobHeader): void {
  const blobEnd = rec.blobOffset + blob.memSize;
  if (rec.payloadOffset < blobEnd || rec.payloadOffset % PAGE !== 0) {
    r.fail(at + WR.PAYLOAD, 'wrap record payload offset', `0x${hex(rec.payloadOffset)} is not a page past the blob's memory (ends at 0x${hex(blobEnd)})`);
  }
  if (rec.payloadSize === 0) r.fail(at + WR.PAYLOAD_SIZE, 'wrap record payload size', 'is 0');
  if (rec.payloadPages * PAGE < rec.payloadSize) {
    r.fail(at + WR.PAYLOAD_PAGES, 'wrap record payload pages', `0x${hex(rec.payloadPages)} pages do not hold the payload's 0x${hex(rec.payloadSize)} bytes`);
  }
  const payloadEnd = rec.payloadOffset + alignUp(rec.payloadSize, 8);
  if (rec.trusted && (rec.trustOffset !== payloadEnd || rec.trustSize < 8 || rec.trustSize % 8 !== 0)) {
    r.fail(at + WR.TRUST, 'wrap record trust list', `0x${hex(rec.trustSize)} bytes at 0x${hex(rec.trustOffset)}: not a multiple of 8 right after the payload (0x${hex(payloadEnd)})`);
  }
  // The trailer ends the loaded part: right after the payload, or (PE form) after the trust list and padding.
  const bodyEnd = rec.trusted ? rec.trustOffset + rec.trustSize : payloadEnd;
  const trailerEnd = bodyEnd + WRAP_TRAILER_SIZE;
  if (rec.trusted ? rec.loadedSize < trailerEnd || rec.loadedSize % 8 !== 0 : rec.loadedSize !== trailerEnd) {
    r.fail(at + WR.LOADED_SIZE, 'wrap record loaded-part size', `0x${hex(rec.loadedSize)}, but the trailer ends at 0x${hex(trailerEnd)}`);
  }
}

function readTrailer(r: ByteReader, offset: number): WrapTrailer {
  if (!r.has(offset, WRAP_TRAILER_SIZE)) return { offset, present: false, magicOk: false };
  const magicOk = r.u64(offset, 'trailer magic') === WRAP_TRAILER_MAGIC;
  return { offset, present: true, magicOk, loadedSize: r.u64(offset + 8, 'trailer loaded-part size') };
}

interface Head {
  fields: Pick<WrappedInfo, 'memSize' | 'entry' | 'arm64' | 'bzimage'>;
  entry: number;
  /** File offset of the entry code. */
  entryAt: number;
}

/** The stock header: where its code jumps, and whether the memory it claims covers the loaded part. */
function readHead(r: ByteReader, where: WrapLocation, rec: WrapRecord): Head {
  let head: Head;
  if (where.format === 'arm64-image') {
    const arm64 = parseArm64Header(r.data, r.file);
    // PE form: the "MZ" no-op, then the branch in code1.
    const at = arm64.code0 === ARM64_MZ_NOP ? 4 : 0;
    const code = r.u32(at, at === 0 ? 'code0' : 'code1');
    if ((code & 0xfc000000) >>> 0 !== ARM64_B) r.fail(at, at === 0 ? 'code0' : 'code1', `0x${hex(code)} is not a branch`);
    const entry = at + ((code << 6) >> 6) * 4; // imm26, sign-extended, in words
    head = { fields: { memSize: arm64.imageSize, entry, arm64 }, entry, entryAt: at };
  } else {
    const bzimage = parseSetupHeader(r.data, r.file);
    const at = where.loadedOffset + WRAP_ENTRY_X86_OFFSET;
    if (r.u8(at, 'entry') !== X86_JMP_REL32) r.fail(at, 'entry', 'not a jmp rel32');
    const entry = WRAP_ENTRY_X86_OFFSET + 5 + (r.u32(at + 1, 'entry') | 0); // rel32 is signed
    head = { fields: { memSize: bzimage.initSize, entry, bzimage }, entry, entryAt: at };
  }
  if (head.fields.memSize < rec.loadedSize) {
    const field = where.format === 'arm64-image' ? 'image_size' : 'init_size';
    r.fail(where.format === 'arm64-image' ? 0x10 : 0x260, field,
      `0x${hex(head.fields.memSize)} does not cover the loaded part (0x${hex(rec.loadedSize)} bytes): loaders drop the rest`);
  }
  return head;
}
