// EFI device paths (UEFI 2.10 §10): a byte-packed list of nodes, each {u8 Type, u8
// SubType, u16 Length (little-endian, header included), data}, ending with an End node
// (Type 0x7f). Nodes sit at any byte offset, so everything here reads byte by byte.
import { u8, u16, u64, type ptr } from './rt/types.ts';
import { load8, store8, guid } from './rt/intrinsics.ts';

export const DEVICE_PATH_GUID = guid('09576e91-6d3f-11d2-8e39-00a0c969723b');

export const DP_TYPE_MEDIA: u8 = 0x04n;
export const DP_SUBTYPE_VENDOR_MEDIA: u8 = 0x03n;
export const DP_TYPE_END: u8 = 0x7fn;
export const DP_SUBTYPE_END_ENTIRE: u8 = 0xffn;
export const DP_SUBTYPE_END_INSTANCE: u8 = 0x01n;
/** Size of the header every node starts with, and of an End node. */
export const DP_NODE_HEADER: u64 = 4n;
/** VenMedia(guid)/End as dpVendorMedia writes it. */
export const DP_VENDOR_MEDIA_SIZE: u64 = 24n;
/** What dpPrefixLength returns when the prefix does not match. */
export const DP_NO_MATCH: u64 = 0xffff_ffff_ffff_ffffn;
/** No path we accept is longer: a path without an End node must not walk all memory. */
const DP_MAX_SIZE: u64 = 0x1_0000n;

export function dpType(node: ptr): u8 {
  return load8(node);
}

export function dpSubtype(node: ptr): u8 {
  return load8(node + 1n);
}

/** The node's Length field (header included), read unaligned. */
export function dpLength(node: ptr): u16 {
  return u16(load8(node + 2n)) | (u16(load8(node + 3n)) << 8n);
}

/** An End node: the end of the whole path (0xff) or of one instance (0x01). */
export function dpIsEnd(node: ptr): boolean {
  return dpType(node) == DP_TYPE_END;
}

/** The node after `node`; a node too short to hold its header is taken as 4 bytes. */
export function dpNext(node: ptr): ptr {
  const len: u64 = u64(dpLength(node));
  return node + (len < DP_NODE_HEADER ? DP_NODE_HEADER : len);
}

/** A malformed node: shorter than its header. */
function dpBad(node: ptr): boolean {
  return u64(dpLength(node)) < DP_NODE_HEADER;
}

/** Bytes of the whole path, End (entire) node included; 0 when malformed. */
export function dpSize(path: ptr): u64 {
  let p: ptr = path;
  while (p - path < DP_MAX_SIZE) {
    if (dpBad(p)) return 0n;
    if (dpType(p) == DP_TYPE_END && dpSubtype(p) == DP_SUBTYPE_END_ENTIRE) return p - path + u64(dpLength(p));
    p = dpNext(p);
  }
  return 0n;
}

/** Whether the `n` bytes at `a` and `b` are equal. */
function sameBytes(a: ptr, b: ptr, n: u64): boolean {
  for (let i: u64 = 0n; i < n; i++) if (load8(a + i) != load8(b + i)) return false;
  return true;
}

/**
 * How many bytes of `path` the nodes of `prefix` (up to its first End node) cover when
 * each equals the node of `path` at the same place, byte for byte; DP_NO_MATCH when one
 * differs. An empty prefix matches with length 0. `path` is never read past its End.
 */
export function dpPrefixLength(path: ptr, prefix: ptr): u64 {
  let p: ptr = path;
  let q: ptr = prefix;
  while (q - prefix < DP_MAX_SIZE) {
    if (dpBad(q) || dpBad(p)) return DP_NO_MATCH;
    if (dpIsEnd(q)) return p - path;
    if (dpIsEnd(p) || !sameBytes(p, q, u64(dpLength(q)))) return DP_NO_MATCH;
    p = dpNext(p);
    q = dpNext(q);
  }
  return DP_NO_MATCH;
}

/** Writes VenMedia(guid)/End, DP_VENDOR_MEDIA_SIZE bytes, at `buffer` (any alignment). */
export function dpVendorMedia(buffer: ptr, vendor: ptr): void {
  store8(buffer, DP_TYPE_MEDIA);
  store8(buffer + 1n, DP_SUBTYPE_VENDOR_MEDIA);
  store8(buffer + 2n, 0x14n); // 20: header and GUID
  store8(buffer + 3n, 0n);
  for (let i: u64 = 0n; i < 16n; i++) store8(buffer + 4n + i, load8(vendor + i));
  store8(buffer + 20n, DP_TYPE_END);
  store8(buffer + 21n, DP_SUBTYPE_END_ENTIRE);
  store8(buffer + 22n, 0x04n);
  store8(buffer + 23n, 0n);
}
