// purgatory.elf: the blob's bytes as one loadable segment at address 0, with a symbol
// table and the DWARF of dwarf.ts, so gdb and objdump can read it. Written by hand: it
// is a few fixed records.
import type { BlobSymbol } from './layout.ts';
import type { DebugSection } from './dwarf.ts';

export interface ElfInput {
  machine: number;
  blob: Uint8Array;
  memSize: number;
  entry: number;
  symbols: BlobSymbol[];
  /** Virtual address of the first byte: 0 for the blob, a user-space address for hosted tests. */
  base?: number;
  /** Non-loaded sections after .strtab (.debug_*), in this order. */
  debug?: DebugSection[];
}

const EHDR = 64;
const PHDR = 56;
const SHDR = 64;
const SYM = 24;
const TEXT_OFFSET = 0x1000; // page-aligned file offset of the segment

class StrTab {
  bytes: number[] = [0];
  add(s: string): number {
    const at = this.bytes.length;
    this.bytes.push(...Buffer.from(s, 'utf8'), 0);
    return at;
  }
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

function symtab(symbols: BlobSymbol[], blobSize: number, strtab: StrTab, base: number): Uint8Array {
  const sorted = [...symbols].sort((a, b) => a.offset - b.offset || a.name.localeCompare(b.name));
  const out = new Uint8Array(SYM * (sorted.length + 1));
  const dv = new DataView(out.buffer);
  sorted.forEach((s, i) => {
    const at = SYM * (i + 1);
    const next = sorted.slice(i + 1).find((n) => n.offset > s.offset)?.offset ?? blobSize;
    dv.setUint32(at, strtab.add(s.name), true);
    out[at + 4] = s.kind === 'func' ? 2 : 1; // STB_LOCAL, STT_FUNC / STT_OBJECT
    dv.setUint16(at + 6, 1, true); // .text
    dv.setBigUint64(at + 8, BigInt(base + s.offset), true);
    dv.setBigUint64(at + 16, BigInt(next - s.offset), true);
  });
  return out;
}

/** Section header fields in ELF order. */
interface Shdr { name: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; info: number; align: number; entsize: number }

function writeShdr(dv: DataView, at: number, s: Shdr): void {
  dv.setUint32(at, s.name, true);
  dv.setUint32(at + 4, s.type, true);
  dv.setBigUint64(at + 8, BigInt(s.flags), true);
  dv.setBigUint64(at + 16, BigInt(s.addr), true);
  dv.setBigUint64(at + 24, BigInt(s.offset), true);
  dv.setBigUint64(at + 32, BigInt(s.size), true);
  dv.setUint32(at + 40, s.link, true);
  dv.setUint32(at + 44, s.info, true);
  dv.setBigUint64(at + 48, BigInt(s.align), true);
  dv.setBigUint64(at + 56, BigInt(s.entsize), true);
}

function writeEhdr(dv: DataView, e: ElfInput, shoff: number, shnum: number): void {
  [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1].forEach((b, i) => dv.setUint8(i, b)); // ELF64, LE, v1
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, e.machine, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt((e.base ?? 0) + e.entry), true);
  dv.setBigUint64(32, BigInt(EHDR), true); // phoff
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, EHDR, true);
  dv.setUint16(54, PHDR, true);
  dv.setUint16(56, 1, true);
  dv.setUint16(58, SHDR, true);
  dv.setUint16(60, shnum, true);
  dv.setUint16(62, shnum - 1, true); // .shstrtab is last
}

function writePhdr(dv: DataView, e: ElfInput): void {
  const at = EHDR;
  dv.setUint32(at, 1, true); // PT_LOAD
  dv.setUint32(at + 4, 7, true); // RWX: the blob writes its own variables
  dv.setBigUint64(at + 8, BigInt(TEXT_OFFSET), true);
  dv.setBigUint64(at + 16, BigInt(e.base ?? 0), true);
  dv.setBigUint64(at + 24, BigInt(e.base ?? 0), true);
  dv.setBigUint64(at + 32, BigInt(e.blob.length), true);
  dv.setBigUint64(at + 40, BigInt(e.memSize), true);
  dv.setBigUint64(at + 48, BigInt(0x1000), true);
}

export function writeElf(e: ElfInput): Uint8Array {
  const shstr = new StrTab();
  const strtab = new StrTab();
  const syms = symtab(e.symbols, e.blob.length, strtab, e.base ?? 0);
  const base = e.base ?? 0;
  const debug = e.debug ?? [];
  const names = ['.text', '.bss', '.symtab', '.strtab', ...debug.map((d) => d.name), '.shstrtab'].map((n) => shstr.add(n));
  const symOff = align(TEXT_OFFSET + e.blob.length, 8);
  const strOff = symOff + syms.length;
  const debugOffs: number[] = [];
  let next = strOff + strtab.bytes.length;
  for (const d of debug) {
    debugOffs.push(next);
    next += d.bytes.length;
  }
  const shstrOff = next;
  const shoff = align(shstrOff + shstr.bytes.length, 8);
  const shnum = 6 + debug.length;
  const out = new Uint8Array(shoff + SHDR * shnum);
  const dv = new DataView(out.buffer);
  writeEhdr(dv, e, shoff, shnum);
  writePhdr(dv, e);
  out.set(e.blob, TEXT_OFFSET);
  out.set(syms, symOff);
  out.set(strtab.bytes, strOff);
  debug.forEach((d, i) => out.set(d.bytes, debugOffs[i]));
  out.set(shstr.bytes, shstrOff);
  const none = { link: 0, info: 0, entsize: 0 };
  const shdrs: Shdr[] = [
    { name: names[0], type: 1, flags: 7, addr: base, offset: TEXT_OFFSET, size: e.blob.length, align: 16, ...none },
    { name: names[1], type: 8, flags: 3, addr: base + e.blob.length, offset: TEXT_OFFSET + e.blob.length, size: e.memSize - e.blob.length, align: 16, ...none },
    { name: names[2], type: 2, flags: 0, addr: 0, offset: symOff, size: syms.length, link: 4, info: syms.length / SYM, align: 8, entsize: SYM },
    { name: names[3], type: 3, flags: 0, addr: 0, offset: strOff, size: strtab.bytes.length, align: 1, ...none },
    ...debug.map((d, i): Shdr => ({ name: names[4 + i], type: 1, flags: 0, addr: 0, offset: debugOffs[i], size: d.bytes.length, align: 1, ...none })),
    { name: names[4 + debug.length], type: 3, flags: 0, addr: 0, offset: shstrOff, size: shstr.bytes.length, align: 1, ...none },
  ];
  shdrs.forEach((s, i) => writeShdr(dv, shoff + SHDR * (i + 1), s));
  return out;
}
