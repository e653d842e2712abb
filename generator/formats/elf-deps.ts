// What a dynamically linked ELF64 executable or library needs at run time: its program
// interpreter (PT_INTERP) and the sonames it names (DT_NEEDED). Read from the program
// headers alone, as the dynamic loader does, so stripped files work.
import { ByteReader } from './bytes.ts';

export interface ElfDeps {
  /** The ELF machine number (e_machine): 0xb7 AArch64, 0x3e x86-64. */
  machine: number;
  /** PT_INTERP without its NUL, e.g. "/lib/ld-linux-aarch64.so.1"; absent when static. */
  interp?: string;
  /** DT_NEEDED sonames in file order. */
  needed: string[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const LIMIT = 0x7fff_ffff;

interface Phdr { type: number; offset: number; vaddr: bigint; filesz: number }

function programHeaders(r: ByteReader): Phdr[] {
  if (!r.matches(0, [0x7f, 0x45, 0x4c, 0x46])) r.fail(0, 'e_ident', 'not an ELF file');
  if (r.u8(4, 'EI_CLASS') !== 2) r.fail(4, 'EI_CLASS', 'not a 64-bit ELF file');
  if (r.u8(5, 'EI_DATA') !== 1) r.fail(5, 'EI_DATA', 'not a little-endian ELF file');
  const phoff = r.u64Small(0x20, 'e_phoff', LIMIT);
  const size = r.u16(0x36, 'e_phentsize');
  const count = r.u16(0x38, 'e_phnum');
  if (count > 0 && size < 56) r.fail(0x36, 'e_phentsize', `${size} is smaller than an ELF64 program header`);
  return Array.from({ length: count }, (_, i) => {
    const at = phoff + i * size;
    return {
      type: r.u32(at, 'p_type'),
      offset: r.u64Small(at + 8, 'p_offset', LIMIT),
      vaddr: r.u64(at + 16, 'p_vaddr'),
      filesz: r.u64Small(at + 32, 'p_filesz', LIMIT),
    };
  });
}

/** File offset of a virtual address, through the PT_LOAD that maps it. */
function fileOffset(r: ByteReader, phdrs: Phdr[], vaddr: bigint, field: string): number {
  const seg = phdrs.find((p) => p.type === PT_LOAD && vaddr >= p.vaddr && vaddr < p.vaddr + BigInt(p.filesz));
  if (!seg) r.fail(0, field, `address 0x${vaddr.toString(16)} is in no PT_LOAD segment`);
  return seg.offset + Number(vaddr - seg.vaddr);
}

function cString(r: ByteReader, offset: number, field: string): string {
  const end = r.data.indexOf(0, offset);
  if (end < 0) r.fail(offset, field, 'string runs to the end of the file');
  return new TextDecoder().decode(r.data.subarray(offset, end));
}

function neededNames(r: ByteReader, phdrs: Phdr[]): string[] {
  const dyn = phdrs.find((p) => p.type === PT_DYNAMIC);
  if (!dyn) return [];
  const offsets: bigint[] = [];
  let strtab: bigint | undefined;
  for (let at = dyn.offset; at + 16 <= dyn.offset + dyn.filesz; at += 16) {
    const tag = r.u64(at, 'd_tag');
    if (tag === DT_NULL) break;
    if (tag === DT_NEEDED) offsets.push(r.u64(at + 8, 'd_val'));
    if (tag === DT_STRTAB) strtab = r.u64(at + 8, 'd_ptr');
  }
  if (offsets.length === 0) return [];
  if (strtab === undefined) r.fail(dyn.offset, 'DT_STRTAB', 'DT_NEEDED without a string table');
  const base = fileOffset(r, phdrs, strtab, 'DT_STRTAB');
  return offsets.map((o) => cString(r, base + Number(o), 'DT_NEEDED'));
}

/** The interpreter and needed sonames of an ELF64 little-endian file. Throws FormatError. */
export function elfDeps(data: Uint8Array, file: string): ElfDeps {
  const r = new ByteReader(data, file);
  const phdrs = programHeaders(r);
  const interp = phdrs.find((p) => p.type === PT_INTERP);
  return {
    machine: r.u16(0x12, 'e_machine'),
    interp: interp ? cString(r, interp.offset, 'PT_INTERP') : undefined,
    needed: neededNames(r, phdrs),
  };
}
