// expect: 8070451088846782052
// Integer square root by Newton's method and by bit-by-bit, up to 2^64 - 1.
import { u64 } from '../../../templates/rt/types.ts';

function isqrtNewton(n: u64): u64 {
  if (n < 2n) return n;
  let x: u64 = n;
  let y: u64 = x / 2n + 1n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}
function isqrtBits(n: u64): u64 {
  let res: u64 = 0n;
  let bit: u64 = 1n << 62n;
  while (bit > n) bit >>= 2n;
  while (bit != 0n) {
    if (n >= res + bit) {
      n -= res + bit;
      res = (res >> 1n) + bit;
    } else res >>= 1n;
    bit >>= 2n;
  }
  return res;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (isqrtNewton(0xffffffffffffffffn) == 0xffffffffn && isqrtBits(0xffffffffffffffffn) == 0xffffffffn) r |= 1n;
  if (isqrtNewton(0xfffffffe00000001n) == 0xffffffffn) r |= 2n;
  if (isqrtBits(0xfffffffe00000000n) == 0xfffffffen) r |= 4n;
  let bad: u64 = 0n;
  let s: u64 = 0n;
  let v: u64 = 7n;
  for (let i: u64 = 0n; i < 200n; i++) {
    v = v * 0x5851f42d4c957f2dn + 0x14057b7ef767814fn;
    const a: u64 = isqrtNewton(v);
    if (a != isqrtBits(v)) bad++;
    s += a;
  }
  return (r << 60n) ^ (bad << 50n) ^ s;
}
