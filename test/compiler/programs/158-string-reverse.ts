// expect: 6147557956554652375
// Copy an ascii string into a buffer, reverse it in place, and check it is a palindrome pair.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, zeroed, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const S = ascii('A man, a plan, a canal: Panama');
const BUF = zeroed(64n);

function copy(d: ptr, s: ptr): u64 {
  let n: u64 = 0n;
  do {
    store8(d + n, load8(s + n));
    n++;
  } while (load8(s + n - 1n) != 0n);
  return n - 1n;
}
function reverse(p: ptr, n: u64): void {
  if (n < 2n) return;
  let i: u64 = 0n;
  let j: u64 = n - 1n;
  while (i < j) {
    const t: u8 = load8(p + i);
    store8(p + i, load8(p + j));
    store8(p + j, t);
    i++;
    j--;
  }
}
function isAlnum(c: u8): boolean {
  return (c >= 48n && c <= 57n) || (c >= 65n && c <= 90n) || (c >= 97n && c <= 122n);
}
function lower(c: u8): u8 {
  return c >= 65n && c <= 90n ? c | 0x20n : c;
}
function palindrome(p: ptr, n: u64): boolean {
  let i: u64 = 0n;
  let j: u64 = n;
  while (true) {
    while (i < j && !isAlnum(load8(p + i))) i++;
    while (j > i && !isAlnum(load8(p + j - 1n))) j--;
    if (j <= i + 1n) return true;
    if (lower(load8(p + i)) != lower(load8(p + j - 1n))) return false;
    i++;
    j--;
  }
}

export function main(): u64 {
  const n: u64 = copy(BUF, S);
  reverse(BUF, n);
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) h = h * 131n + u64(load8(BUF + i));
  let r: u64 = 0n;
  if (palindrome(BUF, n) && palindrome(S, n)) r |= 1n;
  store8(BUF + 3n, u8(120n));
  if (!palindrome(BUF, n)) r |= 2n;
  if (load8(BUF) == 97n && load8(BUF + n - 1n) == 65n && load8(BUF + n) == 0n) r |= 4n;
  return (r << 61n) ^ h ^ n;
}
