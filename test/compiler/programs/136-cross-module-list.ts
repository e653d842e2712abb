// expect: 17293953389540764405
// A LIST_ENTRY-style list from a sibling module, with records that embed the link at offset 0.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';
import { Link, initHead, insertTail, removeEntry, isEmpty, length } from './lib/listlib.ts';

const Rec = struct({ fwd: ptr, back: ptr, value: u64 });
const HEAD = zeroed(16n);
const RECS = zeroed(24n * 10n);

function rec(i: u64): ptr {
  return RECS + i * Rec.$size;
}

export function main(): u64 {
  let r: u64 = 0n;
  initHead(HEAD);
  if (isEmpty(HEAD)) r |= 1n;
  for (let i: u64 = 0n; i < 10n; i++) {
    store64(rec(i) + Rec.value, i * i + 1n);
    insertTail(HEAD, rec(i));
  }
  if (length(HEAD) == 10n) r |= 2n;
  removeEntry(rec(0n));
  removeEntry(rec(5n));
  removeEntry(rec(9n));
  if (length(HEAD) == 7n && !isEmpty(HEAD)) r |= 4n;
  if (Rec.fwd == Link.fwd && Rec.back == Link.back && Rec.value == Link.$size) r |= 8n;
  let h: u64 = 0n;
  for (let p: ptr = load64(HEAD + Link.fwd); p != HEAD; p = load64(p + Link.fwd)) h = h * 100n + load64(p + Rec.value);
  // and backwards
  let g: u64 = 0n;
  for (let p: ptr = load64(HEAD + Link.back); p != HEAD; p = load64(p + Link.back)) g = g * 100n + load64(p + Rec.value);
  return (r << 60n) ^ h ^ (g << 1n);
}
