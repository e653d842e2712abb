// expect: 72057594035791102
// Chains of conversions through several widths.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const x: u64 = 0x89abcdef01234587n;
  let r: u64 = 0n;
  if (u64(i8(x)) == 0xffffffffffffff87n) r |= 1n;
  if (u64(u8(x)) == 0x87n) r |= 2n;
  if (u64(i16(u8(x))) == 0x87n) r |= 4n;
  if (u64(i16(i8(x))) == 0xffffffffffffff87n) r |= 8n;
  if (u64(u16(i8(x))) == 0xff87n) r |= 16n;
  if (u64(i32(u16(i8(x)))) == 0xff87n) r |= 32n;
  if (i64(i32(x >> 32n)) == -1985229329n) r |= 64n;
  if (u64(u32(i16(x >> 32n))) == 0xffffcdefn && u64(u32(i16(x))) == 0x4587n) r |= 128n;
  let h: u64 = 0n;
  let v: u64 = 0x0123456789abcdefn;
  for (let i: u64 = 0n; i < 50n; i++) {
    v = v * 6364136223846793005n + 1442695040888963407n;
    h = h ^ u64(i8(v >> 33n)) ^ (u64(u16(i32(v))) << 8n) ^ u64(i16(u8(v >> 7n)));
  }
  return (r << 56n) ^ h;
}
