// expect: 545461008193
// The same 32-bit pattern compares differently as i32 and as u32.
import { u32, i32, u64 } from '../../../templates/rt/types.ts';

function ult(a: u32, b: u32): boolean {
  return a < b;
}
function slt(a: i32, b: i32): boolean {
  return a < b;
}

export function main(): u64 {
  let r: u64 = 0n;
  const big: u32 = 0x80000000n;
  const one: u32 = 1n;
  if (!ult(big, one)) r |= 1n;
  if (slt(i32(big), i32(one))) r |= 2n;
  const m1: u32 = 0xffffffffn;
  if (ult(one, m1)) r |= 4n;
  if (!slt(i32(one), i32(m1))) r |= 8n;
  if (i32(m1) == -1n) r |= 16n;
  if (u32(i32(-1n)) == m1) r |= 32n;
  if (i32(big) <= -2147483648n && u32(big) >= 2147483648n) r |= 64n;
  // count, over a range of patterns, how often the two orders disagree
  let n: u64 = 0n;
  for (let x: u32 = 0x7ffffff0n; x != 0x80000010n; x++) {
    if (ult(x, 0x80000000n) && !slt(i32(x), 2147483647n)) n++;
    if (!ult(x, 0x80000000n) && slt(i32(x), 2147483647n)) n += 100n;
    if (u32(x) > 5n && !(i32(x) > 5n)) n += 10000n;
  }
  return (r << 32n) | n;
}
