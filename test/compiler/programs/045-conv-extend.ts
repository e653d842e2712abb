// expect: 2194728354043
// Widening: unsigned types zero-extend, signed types sign-extend.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u8 = 0xffn;
  const b: u16 = 0xffffn;
  const c: u32 = 0xffffffffn;
  if (u64(a) == 255n && u64(b) == 65535n && u64(c) == 4294967295n) r |= 1n;
  if (u32(a) == 255n && u16(a) == 255n) r |= 2n;
  if (i64(a) == 255n && i32(b) == 65535n && i64(c) == 4294967295n) r |= 4n;
  const d: i8 = -1n;
  const e: i16 = -2n;
  const f: i32 = -3n;
  if (i64(d) == -1n && i32(d) == -1n && i16(d) == -1n) r |= 8n;
  if (i64(e) == -2n && i64(f) == -3n) r |= 16n;
  if (u64(d) == 0xffffffffffffffffn) r |= 32n;
  if (u32(e) == 0xfffffffen && u16(d) == 0xffffn) r |= 64n;
  if (u64(f) == 0xfffffffffffffffdn) r |= 128n;
  const g: i8 = 127n;
  if (u64(g) == 127n && i64(g) == 127n) r |= 256n;
  return (r << 32n) + u64(d) + u64(a) + u64(e) + u64(b);
}
