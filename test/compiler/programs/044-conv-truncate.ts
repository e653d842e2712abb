// expect: 18388760230778765310
// Converting to a narrower type keeps the low bits (u64 -> u32/u16/u8, i64 -> i32/i16/i8).
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const x: u64 = 0xfedcba9876543210n;
  let r: u64 = 0n;
  if (u32(x) == 0x76543210n) r |= 1n;
  if (u16(x) == 0x3210n) r |= 2n;
  if (u8(x) == 0x10n) r |= 4n;
  if (i32(x) == 0x76543210n) r |= 8n;
  const y: u64 = 0x00000000fffffff0n;
  if (i32(y) == -16n && i16(y) == -16n && i8(y) == -16n) r |= 16n;
  const s: i64 = -2n;
  if (u32(s) == 0xfffffffen && u16(s) == 0xfffen && u8(s) == 0xfen) r |= 32n;
  const t: i64 = 0x180n;
  if (i8(t) == -128n && u8(t) == 0x80n && i16(t) == 384n) r |= 64n;
  const z: u32 = 0x12345678n;
  if (u16(z) == 0x5678n && u8(z) == 0x78n && i16(z) == 0x5678n && i8(z) == 0x78n) r |= 128n;
  return (r << 56n) | (u64(u8(x >> 8n)) << 48n) | (u64(u16(x >> 20n)) << 16n) | u64(u16(s));
}
