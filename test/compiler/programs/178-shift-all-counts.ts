// expect: 5777635575852112269
// Every shift count 0..70 applied with << and >> in all eight types, hashed.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let h: u64 = 0n;
  const a8: u8 = 0xa5n;
  const a16: u16 = 0xa5c3n;
  const a32: u32 = 0xa5c3e1f7n;
  const a64: u64 = 0xa5c3e1f78b9d2f46n;
  const s8: i8 = -91n;
  const s16: i16 = -23101n;
  const s32: i32 = -1514937865n;
  const s64: i64 = -6502414373367967930n;
  for (let n: u64 = 0n; n <= 70n; n++) {
    h = h * 31n + u64(a8 << u8(n)) + u64(a8 >> u8(n));
    h = h * 31n + u64(a16 << u16(n)) + u64(a16 >> u16(n));
    h = h * 31n + u64(a32 << u32(n)) + u64(a32 >> u32(n));
    h = h * 31n + (a64 << n) + (a64 >> n);
    h = h * 31n + u64(s8 << i8(n)) + u64(s8 >> i8(n));
    h = h * 31n + u64(s16 << i16(n)) + u64(s16 >> i16(n));
    h = h * 31n + u64(s32 << i32(n)) + u64(s32 >> i32(n));
    h = h * 31n + u64(s64 << i64(n)) + u64(s64 >> i64(n));
  }
  return h;
}
