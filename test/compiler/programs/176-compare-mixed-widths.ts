// expect: 561850953905648
// Comparing values of different widths after explicit conversion, where the choice of
// widening (zero or sign extension) changes the answer.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u8 = 0xffn;
  const b: i8 = -1n;
  if (u64(a) != u64(b)) r |= 1n;
  if (u8(b) == a) r |= 2n;
  if (i64(a) > i64(b)) r |= 4n;
  if (u64(a) < u64(b)) r |= 8n;
  const c: u16 = 0x8000n;
  const d: i32 = -32768n;
  if (i32(i16(c)) == d) r |= 16n;
  if (i32(c) != d) r |= 32n;
  const e: u32 = 0x80000000n;
  if (i64(i32(e)) < 0n && i64(e) > 0n) r |= 64n;
  if (u64(i32(e)) == 0xffffffff80000000n && u64(e) == 0x80000000n) r |= 128n;
  const f: u64 = 0xffffffffffffff80n;
  if (i8(f) == -128n && u8(f) == 0x80n && i16(f) == -128n && u16(f) == 0xff80n) r |= 256n;
  // counting: for which x in 0..511 does u8(x) < u8(x + 200) hold?
  let n: u64 = 0n;
  for (let x: u64 = 0n; x < 512n; x++) {
    if (u8(x) < u8(x + 200n)) n++;
    if (i8(x) < i8(x + 200n)) n += 1000n;
    if (u16(x) < u16(x + 200n)) n += 1000000n;
  }
  return (r << 40n) | n;
}
