// Reading a flattened device tree (devicetree specification v0.4, chapter 5) in place:
// big-endian words, tokens 4-aligned, and every access aligned, because on arm64 the
// MMU is still off (Device memory) when the reader runs. Nothing here trusts a length
// or an offset without checking it against the header.
import { u8, u32, u64, type ptr } from '../rt/types.ts';
import { load8, load32, store32, ascii } from '../rt/intrinsics.ts';
import { fail } from '../fail.ts';

export const FDT_BEGIN_NODE: u32 = 1n;
export const FDT_END_NODE: u32 = 2n;
export const FDT_PROP: u32 = 3n;
export const FDT_NOP: u32 = 4n;
export const FDT_END: u32 = 9n;
const MAGIC: u32 = 0xd00d_feedn;
/** kexec-tools refuses a DTB above 2 MiB; anything larger is not one we were given. */
const MAX_SIZE: u64 = 0x20_0000n;
const NAME_MAX: u64 = 256n;

const E_DTB = ascii('DT: no flattened device tree (x0 is 0, unaligned or the magic is wrong) at');
const E_HEADER = ascii('DT: header inconsistent (sizes or offsets out of range) in the DTB at');
const E_TOKEN = ascii('DT: structure block malformed at');

/** Where the parts of the tree are, checked once by fdtOpen. */
let dtb: ptr = 0n;
let structStart: ptr = 0n;
let structEnd: ptr = 0n;
let strings: ptr = 0n;
let stringsSize: u64 = 0n;

export function be32(p: ptr): u32 {
  const v: u32 = load32(p);
  return ((v & 0xffn) << 24n) | ((v & 0xff00n) << 8n) | ((v >> 8n) & 0xff00n) | (v >> 24n);
}

/** A 64-bit big-endian value at a 4-aligned address, as two words. */
export function be64(p: ptr): u64 {
  return (u64(be32(p)) << 32n) | u64(be32(p + 4n));
}

/** A 1- or 2-cell number (#address-cells, #size-cells); other cell counts read their last two. */
export function cells(p: ptr, n: u64): u64 {
  if (n == 0n) return 0n;
  if (n == 1n) return u64(be32(p));
  return be64(p + (n - 2n) * 4n);
}

/** Checks the header of the tree at `p` and remembers its blocks. Returns its total size. */
export function fdtOpen(p: ptr): u64 {
  if (p == 0n || (p & 7n) != 0n || be32(p) != MAGIC) fail(E_DTB, p);
  const total: u64 = u64(be32(p + 4n));
  const off: u64 = u64(be32(p + 8n));
  const soff: u64 = u64(be32(p + 12n));
  const ssize: u64 = u64(be32(p + 32n));
  const size: u64 = u64(be32(p + 36n));
  const ok: boolean = total <= MAX_SIZE && be32(p + 20n) >= 16n && (off & 3n) == 0n && off + size <= total
    && soff + ssize <= total && u64(be32(p + 16n)) + 16n <= total && (u64(be32(p + 16n)) & 7n) == 0n;
  if (!ok) fail(E_HEADER, p);
  dtb = p;
  structStart = p + off;
  structEnd = p + off + size;
  strings = p + soff;
  stringsSize = ssize;
  return total;
}

/** The first token of the structure block. */
export function fdtFirst(): ptr {
  return structStart;
}

/** The reservation block (pairs of big-endian u64, ending with 0, 0). */
export function fdtReservations(): ptr {
  return dtb + u64(be32(dtb + 16n));
}

/** The token at `t`, failing when `t` leaves the structure block. */
export function fdtToken(t: ptr): u32 {
  if (t < structStart || t + 4n > structEnd) fail(E_TOKEN, t);
  return be32(t);
}

/** The NUL-terminated name of the node whose FDT_BEGIN_NODE is at `t`. */
export function nodeName(t: ptr): ptr {
  return t + 4n;
}

/** The token after the FDT_BEGIN_NODE at `t`: past the name and its padding. */
export function nodeNext(t: ptr): ptr {
  const name: ptr = t + 4n;
  let n: u64 = 0n;
  while (load8(name + n) != 0n) {
    n++;
    if (n > NAME_MAX || name + n >= structEnd) fail(E_TOKEN, t);
  }
  return (name + n + 4n) & ~3n;
}

export function propLen(t: ptr): u64 {
  return u64(fdtToken(t + 4n));
}

export function propValue(t: ptr): ptr {
  return t + 12n;
}

/** The property's name, in the strings block. */
export function propName(t: ptr): ptr {
  const off: u64 = u64(fdtToken(t + 8n));
  if (off >= stringsSize) fail(E_TOKEN, t);
  return strings + off;
}

/** The token after the FDT_PROP at `t`. */
export function propNext(t: ptr): ptr {
  const next: ptr = t + 12n + ((propLen(t) + 3n) & ~3n);
  if (next > structEnd) fail(E_TOKEN, t);
  return next;
}

/** Deletes the property at `t` in place: every word of it becomes FDT_NOP. */
export function propDelete(t: ptr): void {
  const end: ptr = propNext(t);
  for (let w: ptr = t; w < end; w += 4n) store32(w, 0x0400_0000n); // FDT_NOP, big-endian
}

/** NUL-terminated strings `a` and `b` are equal. */
export function strEq(a: ptr, b: ptr): boolean {
  let i: u64 = 0n;
  while (load8(a + i) == load8(b + i)) {
    if (load8(a + i) == 0n) return true;
    i++;
  }
  return false;
}

/** Node name `name` is `base` or `base@unit`. */
export function nameIs(name: ptr, base: ptr): boolean {
  let i: u64 = 0n;
  while (load8(base + i) != 0n) {
    if (load8(name + i) != load8(base + i)) return false;
    i++;
  }
  const c: u8 = load8(name + i);
  return c == 0n || c == 0x40n; // '@'
}
