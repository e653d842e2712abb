// expect: 6363318090012941874
// ucs2() strings (UEFI CHAR16) walked u16 by u16: length, non-ASCII code units, byte layout.
import { u16, u64, type ptr } from '../../../templates/rt/types.ts';
import { ucs2, load8, load16 } from '../../../templates/rt/intrinsics.ts';

const TITLE = ucs2('EFI Shell');
const WIDE = ucs2('\u00e9\u20ac\uffff!');

function strlen16(s: ptr): u64 {
  let n: u64 = 0n;
  while (load16(s + n * 2n) != 0n) n++;
  return n;
}

function hash16(s: ptr): u64 {
  let h: u64 = 0n;
  for (let i: u64 = 0n; ; i++) {
    const c: u16 = load16(s + i * 2n);
    if (c == 0n) break;
    h = h * 65599n + u64(c);
  }
  return h;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (strlen16(TITLE) == 9n) r |= 1n;
  if (strlen16(WIDE) == 4n) r |= 2n;
  if (load16(WIDE) == 0xe9n && load16(WIDE + 2n) == 0x20acn && load16(WIDE + 4n) == 0xffffn) r |= 4n;
  if (load8(WIDE + 2n) == 0xacn && load8(WIDE + 3n) == 0x20n) r |= 8n;
  if (load8(TITLE + 1n) == 0n && load8(TITLE) == 69n) r |= 16n;
  if (load16(TITLE + 18n) == 0n) r |= 32n;
  return (r << 58n) ^ hash16(TITLE) ^ (hash16(WIDE) << 1n);
}
