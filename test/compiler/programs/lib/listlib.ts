// Helper module: an intrusive doubly linked list over caller-provided memory (like EDK2's
// LIST_ENTRY), for the cross-module programs. No main.
import { u64, ptr } from '../../../../templates/rt/types.ts';
import { struct, load64, store64 } from '../../../../templates/rt/intrinsics.ts';

export const Link = struct({ fwd: ptr, back: ptr });

export function initHead(h: ptr): void {
  store64(h + Link.fwd, h);
  store64(h + Link.back, h);
}

export function insertTail(h: ptr, e: ptr): void {
  const last: ptr = load64(h + Link.back);
  store64(e + Link.fwd, h);
  store64(e + Link.back, last);
  store64(last + Link.fwd, e);
  store64(h + Link.back, e);
}

export function removeEntry(e: ptr): void {
  const f: ptr = load64(e + Link.fwd);
  const b: ptr = load64(e + Link.back);
  store64(b + Link.fwd, f);
  store64(f + Link.back, b);
}

export function isEmpty(h: ptr): boolean {
  return load64(h + Link.fwd) == h;
}

export function length(h: ptr): u64 {
  let n: u64 = 0n;
  for (let p: ptr = load64(h + Link.fwd); p != h; p = load64(p + Link.fwd)) n++;
  return n;
}
