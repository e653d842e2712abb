// expect: 1998162389562629917
// Byte loops for CopyMem and SetMem, including an overlapping backward copy (memmove).
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, ascii, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const SRC = ascii('The quick brown fox jumps over the lazy dog');
const DST = zeroed(128n);

function setMem(p: ptr, n: u64, v: u8): void {
  for (let i: u64 = 0n; i < n; i++) store8(p + i, v);
}
function copyMem(d: ptr, s: ptr, n: u64): void {
  if (d > s && d < s + n) {
    let i: u64 = n;
    while (i > 0n) {
      i--;
      store8(d + i, load8(s + i));
    }
  } else {
    for (let i: u64 = 0n; i < n; i++) store8(d + i, load8(s + i));
  }
}
function hash(p: ptr, n: u64): u64 {
  let h: u64 = 0xcbf29ce484222325n;
  for (let i: u64 = 0n; i < n; i++) h = (h ^ u64(load8(p + i))) * 0x100000001b3n;
  return h;
}

export function main(): u64 {
  setMem(DST, 128n, u8(0xaan));
  copyMem(DST + 8n, SRC, 43n);
  const h1: u64 = hash(DST, 64n);
  // overlapping move forward by 5 bytes
  copyMem(DST + 13n, DST + 8n, 43n);
  const h2: u64 = hash(DST, 64n);
  // and back
  copyMem(DST + 8n, DST + 13n, 43n);
  const h3: u64 = hash(DST, 64n);
  setMem(DST + 60n, 4n, u8(0n));
  let r: u64 = 0n;
  if (load8(DST + 7n) == 0xaan && load8(DST + 8n) == 84n && load8(DST + 50n) == 103n) r |= 1n;
  return (h1 ^ h2 ^ h3 ^ hash(DST, 128n)) + r;
}
