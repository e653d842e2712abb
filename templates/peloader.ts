// The PE/COFF loader behind LoadImage: PE32+ images of this machine only. Every header
// field is checked against the file before it is used, since the buffer is whatever an
// image handed us; then the image gets pages of its own at max(4 KiB, SectionAlignment)
// alignment (the arm64 stub copies itself elsewhere unless it sits 64 KiB aligned), its
// headers at the base (systemd-stub parses them there), its sections at their RVAs with
// the rest zeroed, and its DIR64 base relocations applied.
import { u8, u64, type ptr } from './rt/types.ts';
import {
  load8, load16, load32, load64, store8, store64, ascii, struct, zeroed,
  archParam, cacheClean, copyMem, setMem, putc,
} from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_LOAD_ERROR, EFI_UNSUPPORTED, EFI_OUT_OF_RESOURCES, EfiLoaderCode, AllocateAnyPages, EFI_PAGE_SIZE, EFI_MEMORY_WB } from './efi.ts';
import { mmAllocate, mmFree, mmAdd } from './memmap.ts';
import { ARCH_PE_MACHINE } from './arch.ts';
import { putValueLine } from './fail.ts';
import { puts } from './console.ts';


/** What peLoad reports about the image it loaded. */
export const PeImage = struct({ base: u64, pages: u64, entry: u64, sizeOfImage: u64, subsystem: u64, sectionAlignment: u64 });

/** The header fields peLoad uses, read from the file once and checked. */
const Hdr = struct({
  opt: u64, sizeOfOpt: u64, count: u64, sizeOfImage: u64, sizeOfHeaders: u64, entry: u64, imageBase: u64,
  sectionAlignment: u64, subsystem: u64, relocRva: u64, relocSize: u64, base: u64, pages: u64,
});
/** Hdr.$size, spelled as a constant for zeroed(): its 13 fields of 8 bytes. */
const HDR_SIZE: u64 = 13n * 8n;
const HDR = zeroed(HDR_SIZE);
const SLOT = zeroed(8n);

const PE_SIGNATURE: u64 = 0x4550n; // "PE\0\0"
const COFF_SIZE: u64 = 20n;
/** The PE32+ optional header up to the data directories. */
const OPT_FIXED: u64 = 112n;
const SECTION_HEADER: u64 = 40n;
const DIR_BASERELOC: u64 = 5n;
const REL_ABSOLUTE: u64 = 0n;
const REL_DIR64: u64 = 10n;

/** Every message's start, left out of the M_ strings (fail.ts's prefix spelled out: cheaper than a second call). */
const LOADIMAGE = ascii('gen-purgatory: LoadImage: ');
const M_SMALL = ascii('file too small for a DOS header, size');
const M_MZ = ascii('no MZ signature, found');
const M_LFANEW = ascii('PE headers beyond the end of the file, e_lfanew');
const M_PE = ascii('no PE signature at');
const M_MACHINE = ascii('image for another machine');
const M_MAGIC = ascii('not a PE32+ image, optional header magic');
const M_DIRS = ascii('bad number of data directories');
const M_OPTSIZE = ascii('optional header too small, SizeOfOptionalHeader');
const M_NOSECTIONS = ascii('no sections');
const M_IMAGESIZE = ascii('bad SizeOfImage');
const M_HEADERS = ascii('SizeOfHeaders beyond the file or the image');
const M_TABLE = ascii('too many sections for the headers');
const M_ALIGN = ascii('bad SectionAlignment');
const M_ENTRY = ascii('entry point beyond the image at');
const M_RELOCDIR = ascii('relocation directory beyond the image at');
const M_SECTION = ascii('section ');
const M_RAW = ascii(' raw data beyond the file at');
const M_VIRTUAL = ascii(' beyond SizeOfImage at');
const M_OVERHEADERS = ascii(' over the headers at');
const M_MEMORY = ascii('out of memory for the image, pages');
const M_BLOCKSIZE = ascii('bad relocation block size');
const M_BLOCKPAGE = ascii('relocation block beyond the image at');
const M_TARGET = ascii('relocation beyond the image at');
const M_TYPE = ascii('unknown relocation type');

function hdr(field: u64): u64 {
  return load64(HDR + field);
}

function setHdr(field: u64, v: u64): void {
  store64(HDR + field, v);
}

/** `n` bytes at `p`, little-endian, at any alignment. */
function bytesLE(p: ptr, n: u64): u64 {
  let v: u64 = 0n;
  for (let i: u64 = n; i > 0n; i--) v = (v << 8n) | u64(load8(p + i - 1n));
  return v;
}

function rd16(p: ptr): u64 {
  return (p & 1n) == 0n ? u64(load16(p)) : bytesLE(p, 2n);
}

function rd32(p: ptr): u64 {
  return (p & 3n) == 0n ? u64(load32(p)) : bytesLE(p, 4n);
}

function rd64(p: ptr): u64 {
  return (p & 7n) == 0n ? load64(p) : bytesLE(p, 8n);
}

function wr64(p: ptr, v: u64): void {
  if ((p & 7n) == 0n) store64(p, v);
  else for (let i: u64 = 0n; i < 8n; i++) store8(p + i, u8(v >> (8n * i)));
}

/** Reports "gen-purgatory: LoadImage: <what> 0x<value>"; the image is not loaded. */
function bad(what: ptr, value: u64): u64 {
  puts(LOADIMAGE);
  putValueLine(what, value);
  return EFI_LOAD_ERROR;
}

/** Like bad, naming the section by its index. */
function badSection(i: u64, what: ptr, value: u64): u64 {
  puts(LOADIMAGE);
  puts(M_SECTION);
  putDecimal(i);
  putValueLine(what, value);
  return EFI_LOAD_ERROR;
}

function putDecimal(v: u64): void {
  if (v >= 10n) putDecimal(v / 10n);
  putc(u8(0x30n + v % 10n));
}

/** DOS header, PE signature, machine and optional header kind. */
function checkPe(src: ptr, size: u64): u64 {
  if (size < 0x40n) return bad(M_SMALL, size);
  if (rd16(src) != 0x5a4dn) return bad(M_MZ, rd16(src));
  const pe: u64 = rd32(src + 0x3cn);
  const opt: u64 = pe + 4n + COFF_SIZE;
  if (opt + OPT_FIXED > size) return bad(M_LFANEW, pe);
  if (rd32(src + pe) != PE_SIGNATURE) return bad(M_PE, pe);
  const machine: u64 = rd16(src + pe + 4n);
  if (machine != archParam(ARCH_PE_MACHINE)) {
    bad(M_MACHINE, machine);
    return EFI_UNSUPPORTED;
  }
  if (rd16(src + opt) != 0x20bn) return bad(M_MAGIC, rd16(src + opt));
  const dirs: u64 = rd32(src + opt + 108n);
  if (dirs > 16n) return bad(M_DIRS, dirs);
  const sizeOfOpt: u64 = rd16(src + pe + 4n + 16n);
  if (sizeOfOpt < OPT_FIXED + dirs * 8n) return bad(M_OPTSIZE, sizeOfOpt);
  setHdr(Hdr.opt, opt);
  setHdr(Hdr.sizeOfOpt, sizeOfOpt);
  setHdr(Hdr.count, rd16(src + pe + 4n + 2n));
  setHdr(Hdr.relocRva, dirs > DIR_BASERELOC ? rd32(src + opt + OPT_FIXED + DIR_BASERELOC * 8n) : 0n);
  setHdr(Hdr.relocSize, dirs > DIR_BASERELOC ? rd32(src + opt + OPT_FIXED + DIR_BASERELOC * 8n + 4n) : 0n);
  return EFI_SUCCESS;
}

/** Image and header sizes, the section table's place, alignment, entry and relocations. */
function checkLayout(src: ptr, size: u64): u64 {
  const opt: ptr = src + hdr(Hdr.opt);
  const image: u64 = rd32(opt + 56n);
  const headers: u64 = rd32(opt + 60n);
  const align: u64 = rd32(opt + 32n);
  if (hdr(Hdr.count) == 0n) return bad(M_NOSECTIONS, 0n);
  if (image == 0n) return bad(M_IMAGESIZE, image);
  if (headers > size || headers > image) return bad(M_HEADERS, headers);
  if (hdr(Hdr.opt) + hdr(Hdr.sizeOfOpt) + hdr(Hdr.count) * SECTION_HEADER > headers) return bad(M_TABLE, hdr(Hdr.count));
  // Below a page, sections may only be packed as in the file (an image mapped as is).
  const pow2: boolean = align != 0n && (align & (align - 1n)) == 0n;
  if (!pow2 || (align < EFI_PAGE_SIZE && align != rd32(opt + 36n))) return bad(M_ALIGN, align);
  const entry: u64 = rd32(opt + 16n);
  if (entry >= image) return bad(M_ENTRY, entry);
  if (hdr(Hdr.relocSize) != 0n && hdr(Hdr.relocRva) + hdr(Hdr.relocSize) > image) return bad(M_RELOCDIR, hdr(Hdr.relocRva));
  setHdr(Hdr.sizeOfImage, image);
  setHdr(Hdr.sizeOfHeaders, headers);
  setHdr(Hdr.entry, entry);
  setHdr(Hdr.imageBase, rd64(opt + 24n));
  setHdr(Hdr.sectionAlignment, align);
  setHdr(Hdr.subsystem, rd16(opt + 68n));
  return EFI_SUCCESS;
}

function sectionHeader(src: ptr, i: u64): ptr {
  return src + hdr(Hdr.opt) + hdr(Hdr.sizeOfOpt) + i * SECTION_HEADER;
}

/** Bytes of address space a section takes: some linkers leave VirtualSize 0. */
function extent(h: ptr): u64 {
  return rd32(h + 8n) != 0n ? rd32(h + 8n) : rd32(h + 16n);
}

/** Bytes a section takes from the file: SizeOfRawData is padded, the extent is exact. */
function fileBytes(h: ptr): u64 {
  return rd32(h + 16n) < extent(h) ? rd32(h + 16n) : extent(h);
}

/** Each section's file bytes lie in the file (the padding past them need not), its range in the image. */
function checkSections(src: ptr, size: u64): u64 {
  for (let i: u64 = 0n; i < hdr(Hdr.count); i++) {
    const h: ptr = sectionHeader(src, i);
    const va: u64 = rd32(h + 12n);
    if (fileBytes(h) != 0n && rd32(h + 20n) + fileBytes(h) > size) return badSection(i, M_RAW, rd32(h + 20n));
    if (va < hdr(Hdr.sizeOfHeaders)) return badSection(i, M_OVERHEADERS, va);
    if (va + extent(h) > hdr(Hdr.sizeOfImage)) return badSection(i, M_VIRTUAL, va);
  }
  return EFI_SUCCESS;
}

/** Pages for the image at `align`: over-allocates, then frees the slack on both sides. */
function allocate(pages: u64, align: u64): u64 {
  const slack: u64 = align / EFI_PAGE_SIZE - 1n;
  if (mmAllocate(AllocateAnyPages, EfiLoaderCode, pages + slack, SLOT) != EFI_SUCCESS) {
    bad(M_MEMORY, pages);
    return EFI_OUT_OF_RESOURCES;
  }
  const start: u64 = load64(SLOT);
  const base: u64 = (start + align - 1n) & ~(align - 1n);
  const end: u64 = start + (pages + slack) * EFI_PAGE_SIZE;
  const imageEnd: u64 = base + pages * EFI_PAGE_SIZE;
  if (base > start) mmFree(start, (base - start) / EFI_PAGE_SIZE);
  if (end > imageEnd) mmFree(imageEnd, (end - imageEnd) / EFI_PAGE_SIZE);
  setHdr(Hdr.base, base);
  setHdr(Hdr.pages, pages);
  return EFI_SUCCESS;
}

/**
 * Whether the image can stay where it lies: `room` bytes at `src` are ours, enough for
 * SizeOfImage, `src` is aligned as the image wants, and every section's file bytes sit at
 * its RVA, in ascending order (so zeroing the gaps never touches a section).
 */
function fitsInPlace(src: ptr, room: u64, align: u64): boolean {
  if (room < hdr(Hdr.pages) * EFI_PAGE_SIZE || src % align != 0n) return false;
  let end: u64 = hdr(Hdr.sizeOfHeaders);
  for (let i: u64 = 0n; i < hdr(Hdr.count); i++) {
    const h: ptr = sectionHeader(src, i);
    if (fileBytes(h) != 0n && rd32(h + 20n) != rd32(h + 12n)) return false;
    if (rd32(h + 12n) < end) return false;
    end = rd32(h + 12n) + fileBytes(h);
  }
  return true;
}

/** In place: the headers and sections are there already; zero what lies between and after. */
function placeInPlace(src: ptr): void {
  let end: u64 = hdr(Hdr.sizeOfHeaders);
  for (let i: u64 = 0n; i < hdr(Hdr.count); i++) {
    const h: ptr = sectionHeader(src, i);
    zeroInPlace(src + end, rd32(h + 12n) - end);
    end = rd32(h + 12n) + fileBytes(h);
  }
  zeroInPlace(src + end, hdr(Hdr.pages) * EFI_PAGE_SIZE - end);
}

/**
 * Zeroes a gap of an image loaded in place. Only what we write needs cleaning for the
 * image's code to see it: the rest came through kexec, cleaned to PoC, and cleaning all
 * of a 27 MB kernel by line costs more than the EFI stub's own KASLR copy of it.
 */
function zeroInPlace(p: ptr, n: u64): void {
  setMem(p, n, 0n);
  cacheClean(p, n);
}

/** Headers at the base, sections at their RVAs, zeros everywhere else. */
function place(src: ptr): void {
  const base: ptr = hdr(Hdr.base);
  const headers: u64 = hdr(Hdr.sizeOfHeaders);
  copyMem(base, src, headers);
  setMem(base + headers, hdr(Hdr.pages) * EFI_PAGE_SIZE - headers, 0n);
  for (let i: u64 = 0n; i < hdr(Hdr.count); i++) {
    const h: ptr = sectionHeader(src, i);
    if (fileBytes(h) != 0n) copyMem(base + rd32(h + 12n), src + rd32(h + 20n), fileBytes(h));
  }
}

/** One relocation entry of the block for page `page`. */
function relocateOne(base: ptr, page: u64, entry: u64, delta: u64): u64 {
  const type: u64 = entry >> 12n;
  const target: u64 = page + (entry & 0xfffn);
  if (type == REL_ABSOLUTE) return EFI_SUCCESS;
  if (type != REL_DIR64) return bad(M_TYPE, type);
  if (target + 8n > hdr(Hdr.sizeOfImage)) return bad(M_TARGET, target);
  wr64(base + target, rd64(base + target) + delta);
  return EFI_SUCCESS;
}

/** Applies the base relocations, read from the loaded image, for its actual base. */
function relocate(): u64 {
  const base: ptr = hdr(Hdr.base);
  const delta: u64 = base - hdr(Hdr.imageBase);
  let p: ptr = base + hdr(Hdr.relocRva);
  const end: ptr = p + hdr(Hdr.relocSize);
  while (p < end) {
    const blockSize: u64 = end - p < 8n ? end - p : rd32(p + 4n);
    if (blockSize < 8n || (blockSize & 1n) != 0n || blockSize > end - p) return bad(M_BLOCKSIZE, blockSize);
    const page: u64 = rd32(p);
    if (page >= hdr(Hdr.sizeOfImage)) return bad(M_BLOCKPAGE, page);
    for (let e: ptr = p + 8n; e < p + blockSize; e += 2n) {
      const status: u64 = relocateOne(base, page, rd16(e), delta);
      if (status != EFI_SUCCESS) return status;
    }
    // what this block can have written: its page, and 8 bytes past it (relocateOne's bound)
    const span: u64 = hdr(Hdr.sizeOfImage) - page < EFI_PAGE_SIZE + 8n ? hdr(Hdr.sizeOfImage) - page : EFI_PAGE_SIZE + 8n;
    cacheClean(base + page, span);
    p += blockSize;
  }
  return EFI_SUCCESS;
}

/**
 * Loads the PE32+ image held in [src, src + size) and describes it at `info` (PeImage).
 * When the caller owns `room` bytes at `src` (0: none) and the image's layout allows, it
 * is loaded where it lies, saving a copy of the whole kernel; otherwise into new pages.
 * On failure prints one line saying why, leaves no memory allocated, and returns
 * EFI_LOAD_ERROR, EFI_UNSUPPORTED (another machine) or EFI_OUT_OF_RESOURCES.
 */
export function peLoad(src: ptr, size: u64, room: u64, info: ptr): u64 {
  let status: u64 = checkPe(src, size);
  if (status == EFI_SUCCESS) status = checkLayout(src, size);
  if (status == EFI_SUCCESS) status = checkSections(src, size);
  if (status != EFI_SUCCESS) return status;
  const align: u64 = hdr(Hdr.sectionAlignment) > EFI_PAGE_SIZE ? hdr(Hdr.sectionAlignment) : EFI_PAGE_SIZE;
  const pages: u64 = (hdr(Hdr.sizeOfImage) + EFI_PAGE_SIZE - 1n) / EFI_PAGE_SIZE;
  setHdr(Hdr.pages, pages);
  const inPlace: boolean = fitsInPlace(src, room, align) && mmAdd(src, pages, EfiLoaderCode, EFI_MEMORY_WB) == EFI_SUCCESS;
  if (inPlace) {
    setHdr(Hdr.base, src);
    placeInPlace(src); // cleans what it zeroes
  } else {
    status = allocate(pages, align);
    if (status != EFI_SUCCESS) return status;
    place(src);
  }
  status = relocate(); // cleans the pages it touches
  if (status != EFI_SUCCESS) {
    mmFree(hdr(Hdr.base), hdr(Hdr.pages));
    return status;
  }
  if (!inPlace) cacheClean(hdr(Hdr.base), hdr(Hdr.pages) * EFI_PAGE_SIZE); // all of it is new
  store64(info + PeImage.base, hdr(Hdr.base));
  store64(info + PeImage.pages, hdr(Hdr.pages));
  store64(info + PeImage.entry, hdr(Hdr.base) + hdr(Hdr.entry));
  store64(info + PeImage.sizeOfImage, hdr(Hdr.sizeOfImage));
  store64(info + PeImage.subsystem, hdr(Hdr.subsystem));
  store64(info + PeImage.sectionAlignment, hdr(Hdr.sectionAlignment));
  return EFI_SUCCESS;
}
