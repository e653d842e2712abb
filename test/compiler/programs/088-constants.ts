// expect: 274877908017
// Compile-time constants of several types used in expressions, loops and as arguments.
import { u8, u16, u32, u64, i32, i64 } from '../../../templates/rt/types.ts';

const K: u32 = 7n;
const BIG: u64 = 0xfffffffffffffff9n;
const NEG: i32 = -123n;
const MASK8: u8 = 0xf0n;
const W: u16 = 1000n;
const MIN64: i64 = -9223372036854775808n;

function scale(x: u32): u32 {
  return x * K + K;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (scale(K) == 56n) r |= 1n;
  if (BIG + u64(K) == 0n) r |= 2n;
  if (i64(NEG) * 2n == -246n) r |= 4n;
  if ((u8(0xabn) & MASK8) == 0xa0n) r |= 8n;
  if (W * W == 16960n) r |= 16n;
  if (MIN64 - 1n == 9223372036854775807n) r |= 32n;
  let s: u64 = 0n;
  for (let i: u32 = 0n; i < K; i++) s += u64(scale(i));
  return (r << 32n) + s + u64(W) + u64(u32(NEG));
}
