// expect: 11894108308699320798
// FNV-1a 64 and 32, djb2 and Adler-32 of ascii strings.
import { u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const S = ascii('Wikipedia');
const T = ascii('foobar');

function fnv64(p: ptr): u64 {
  let h: u64 = 0xcbf29ce484222325n;
  for (let i: u64 = 0n; load8(p + i) != 0n; i++) h = (h ^ u64(load8(p + i))) * 0x100000001b3n;
  return h;
}
function fnv32(p: ptr): u32 {
  let h: u32 = 0x811c9dc5n;
  for (let i: u64 = 0n; load8(p + i) != 0n; i++) h = (h ^ u32(load8(p + i))) * 0x01000193n;
  return h;
}
function djb2(p: ptr): u32 {
  let h: u32 = 5381n;
  for (let i: u64 = 0n; load8(p + i) != 0n; i++) h = (h << 5n) + h + u32(load8(p + i));
  return h;
}
function adler32(p: ptr): u32 {
  let a: u32 = 1n;
  let b: u32 = 0n;
  for (let i: u64 = 0n; load8(p + i) != 0n; i++) {
    a = (a + u32(load8(p + i))) % 65521n;
    b = (b + a) % 65521n;
  }
  return (b << 16n) | a;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (adler32(S) == 0x11e60398n) r |= 1n;
  if (fnv64(T) == 0x85944171f73967e8n) r |= 2n;
  if (fnv32(T) == 0xbf9cf968n) r |= 4n;
  return (r << 61n) ^ fnv64(S) ^ u64(fnv32(S)) ^ (u64(djb2(S)) << 16n) ^ u64(djb2(T));
}
