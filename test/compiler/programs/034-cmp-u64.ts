// expect: 266498102329140110
// Unsigned u64 comparisons: values with bit 63 set are the largest.
import { u64 } from '../../../templates/rt/types.ts';

function cmpbits(a: u64, b: u64): u64 {
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
  const max: u64 = 0xffffffffffffffffn;
  const h: u64 = 0x8000000000000000n;
  let acc: u64 = 0n;
  acc = (acc << 6n) | cmpbits(0n, max);
  acc = (acc << 6n) | cmpbits(max, 0n);
  acc = (acc << 6n) | cmpbits(h, 0x7fffffffffffffffn);
  acc = (acc << 6n) | cmpbits(h, h);
  acc = (acc << 6n) | cmpbits(0x100000000n, 0xffffffffn);
  acc = (acc << 6n) | cmpbits(1n, 0n);
  acc = (acc << 6n) | cmpbits(max, max);
  acc = (acc << 6n) | cmpbits(0xffffffffn, 0x100000000n);
  acc = (acc << 6n) | cmpbits(0x100000000n, 0x200000000n);
  acc = (acc << 6n) | cmpbits(0x1ffffffffn, 0x200000000n);
  return acc;
}
