// A strict DER reader (X.690 §10) for the signature of a PE image, which is attacker
// controlled: one-byte tags, definite lengths in their shortest form (long form of 1 to 4
// bytes), and no element may reach past the end its caller gives. Elements are described
// in small records (Der) so callers can hold several at once without allocation.
import { u8, u64, type ptr } from '../rt/types.ts';
import { load8, load64, store64, struct } from '../rt/intrinsics.ts';

/** One element: its tag byte, where its header starts, its content, where the next one starts. */
export const Der = struct({ tag: u64, start: u64, body: u64, len: u64, end: u64 });
/** Der.$size, spelled out for zeroed(). */
export const DER_SIZE: u64 = 40n;

export const TAG_BOOLEAN: u64 = 0x01n;
export const TAG_INTEGER: u64 = 0x02n;
export const TAG_BIT_STRING: u64 = 0x03n;
export const TAG_OCTET_STRING: u64 = 0x04n;
export const TAG_NULL: u64 = 0x05n;
export const TAG_OID: u64 = 0x06n;
export const TAG_SEQUENCE: u64 = 0x30n;
export const TAG_SET: u64 = 0x31n;
/** Context-specific constructed tags [0] to [3]. */
export const TAG_CTX0: u64 = 0xa0n;
export const TAG_CTX1: u64 = 0xa1n;
export const TAG_CTX3: u64 = 0xa3n;

/** Longest length field we accept: 4 bytes, far beyond any signature. */
const MAX_LENGTH_BYTES: u64 = 4n;

export function derTag(el: ptr): u64 {
  return load64(el + Der.tag);
}

export function derStart(el: ptr): ptr {
  return load64(el + Der.start);
}

export function derBody(el: ptr): ptr {
  return load64(el + Der.body);
}

export function derLen(el: ptr): u64 {
  return load64(el + Der.len);
}

export function derEnd(el: ptr): ptr {
  return load64(el + Der.end);
}

/** The whole element, header included: what a signature covers or a comparison needs. */
export function derSize(el: ptr): u64 {
  return load64(el + Der.end) - load64(el + Der.start);
}

/**
 * Reads the element at `p` into `el`; false when it is not well-formed DER or does not
 * fit before `end`. Reads no byte at or past `end`.
 */
export function derRead(el: ptr, p: ptr, end: ptr): boolean {
  if (p >= end || end - p < 2n) return false;
  const tag: u64 = u64(load8(p));
  if ((tag & 0x1fn) == 0x1fn) return false; // multi-byte tags: nothing we parse uses them
  let q: ptr = p + 2n;
  let len: u64 = u64(load8(p + 1n));
  if (len == 0x80n) return false; // indefinite length: BER, not DER
  if (len > 0x80n) {
    const count: u64 = len - 0x80n;
    if (count > MAX_LENGTH_BYTES || count > end - q) return false;
    if (load8(q) == 0n) return false; // not the shortest form
    len = 0n;
    for (let i: u64 = 0n; i < count; i++) len = (len << 8n) | u64(load8(q + i));
    q += count;
    if (len < 0x80n) return false; // the short form would do
  }
  if (len > end - q) return false;
  store64(el + Der.tag, tag);
  store64(el + Der.start, p);
  store64(el + Der.body, q);
  store64(el + Der.len, len);
  store64(el + Der.end, q + len);
  return true;
}

/** Reads the element at `p` and requires its tag. */
export function derExpect(el: ptr, p: ptr, end: ptr, tag: u64): boolean {
  return derRead(el, p, end) && derTag(el) == tag;
}

/** The first element inside `parent`, with tag `tag`. */
export function derFirst(el: ptr, parent: ptr, tag: u64): boolean {
  return derExpect(el, derBody(parent), derEnd(parent), tag);
}

/** The element after `el` (in place), still inside `parent`, with tag `tag`. */
export function derNext(el: ptr, parent: ptr, tag: u64): boolean {
  return derExpect(el, derEnd(el), derEnd(parent), tag);
}

/** Whether another element follows `el` inside `parent`. */
export function derHasNext(el: ptr, parent: ptr): boolean {
  return derEnd(el) < derEnd(parent);
}

/** Whether the `n` bytes at `a` and at `b` are equal. */
export function bytesEqual(a: ptr, b: ptr, n: u64): boolean {
  for (let i: u64 = 0n; i < n; i++) if (load8(a + i) != load8(b + i)) return false;
  return true;
}

/** Whether two elements are the same DER bytes: names, serials, whole certificates. */
export function derSame(a: ptr, b: ptr): boolean {
  return derSize(a) == derSize(b) && bytesEqual(derStart(a), derStart(b), derSize(a));
}

/** Whether `el` is an OID whose content is the constant `oid` (a length byte, then the bytes). */
export function derIsOid(el: ptr, oid: ptr): boolean {
  const n: u64 = u64(load8(oid));
  return derTag(el) == TAG_OID && derLen(el) == n && bytesEqual(derBody(el), oid + 1n, n);
}

/**
 * The value of a non-negative INTEGER element that fits in 64 bits; `fallback` when it
 * is negative, empty or wider.
 */
export function derSmallInt(el: ptr, fallback: u64): u64 {
  const p: ptr = derBody(el);
  let n: u64 = derLen(el);
  if (derTag(el) != TAG_INTEGER || n == 0n || (load8(p) & 0x80n) != 0n) return fallback;
  let q: ptr = p;
  while (n > 1n && load8(q) == 0n) { q++; n--; }
  if (n > 8n) return fallback;
  let v: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) v = (v << 8n) | u64(load8(q + i));
  return v;
}

/** A byte of the element's content: callers check the index against derLen first. */
export function derByte(el: ptr, i: u64): u8 {
  return load8(derBody(el) + i);
}
