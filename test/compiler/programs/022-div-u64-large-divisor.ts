// expect: 17098237670999759148
// Unsigned division with divisors at or above 2^63 (their sign bit set), and vice versa.
import { u64, i64 } from '../../../templates/rt/types.ts';

function q(a: u64, b: u64): u64 {
  return a / b;
}
function m(a: u64, b: u64): u64 {
  return a % b;
}

export function main(): u64 {
  const h: u64 = 0x8000000000000000n;
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if (q(max, h) == 1n) r |= 1n;
  if (m(max, h) == 0x7fffffffffffffffn) r |= 2n;
  if (q(h, max) == 0n) r |= 4n;
  if (m(h, max) == h) r |= 8n;
  if (q(max, 0xfffffffffffffffen) == 1n && m(max, 0xfffffffffffffffen) == 1n) r |= 16n;
  if (q(h + 5n, 2n) == 0x4000000000000002n) r |= 32n;
  // the same bits divided as signed give a different answer
  const s: i64 = i64(max) / 2n;
  if (s == 0n) r |= 64n;
  const t: i64 = i64(h) / 3n;
  if (t == -3074457345618258602n) r |= 128n;
  return (r << 56n) ^ q(h + 12345n, 7n);
}
