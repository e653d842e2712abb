// expect: 266340380855446130
// Signed i64 comparisons: negative values are below zero, MIN below MAX.
import { i64, u64 } from '../../../templates/rt/types.ts';

function cmpbits(a: i64, b: i64): u64 {
  let m: u64 = 0n;
  if (a == b) m |= 1n;
  if (a != b) m |= 2n;
  if (a < b) m |= 4n;
  if (a <= b) m |= 8n;
  if (a > b) m |= 16n;
  if (a >= b) m |= 32n;
  return m;
}

export function main(): u64 {
  const mx: i64 = 9223372036854775807n;
  const mn: i64 = -9223372036854775808n;
  let acc: u64 = 0n;
  acc = (acc << 6n) | cmpbits(-1n, 0n);
  acc = (acc << 6n) | cmpbits(0n, -1n);
  acc = (acc << 6n) | cmpbits(mn, mx);
  acc = (acc << 6n) | cmpbits(mx, mn);
  acc = (acc << 6n) | cmpbits(mn, mn);
  acc = (acc << 6n) | cmpbits(-2147483648n, 2147483647n);
  acc = (acc << 6n) | cmpbits(-4294967296n, -1n);
  acc = (acc << 6n) | cmpbits(4294967296n, 4294967295n);
  acc = (acc << 6n) | cmpbits(-1n, -1n);
  acc = (acc << 6n) | cmpbits(-5n, -7n);
  return acc;
}
