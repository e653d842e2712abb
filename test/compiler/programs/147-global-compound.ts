// expect: -636434697349842
// Compound assignments, ++ and -- applied directly to narrow and signed globals.
import { u8, u16, i32, u64, i64 } from '../../../templates/rt/types.ts';

let a: u8 = 0n;
let b: u16 = 1n;
let c: i32 = 0n;
let d: u64 = 0xffffffffffffffffn;

function tick(i: u64): void {
  a += u8(i);
  a ^= 0x5an;
  b *= 3n;
  b -= 1n;
  c -= i32(i) * 1000000n;
  c >>= 1n;
  d++;
  d <<= 1n;
  if (i % 2n == 0n) a--;
  else ++b;
}

export function main(): i64 {
  for (let i: u64 = 0n; i < 40n; i++) tick(i);
  return i64(a) + i64(b) * 256n + i64(c) * 16777216n + i64(d);
}
