// expect: 16081843781304191039
// One bit pattern, divided as signed and as unsigned in each width.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const bits: u64 = 0xfffffffffffffff0n; // -16 as i64
  let h: u64 = 0n;
  // unsigned
  h = h * 1000003n + u64(u8(bits) / 3n);
  h = h * 1000003n + u64(u16(bits) / 3n);
  h = h * 1000003n + u64(u32(bits) / 3n);
  h = h * 1000003n + bits / 3n;
  h = h * 1000003n + u64(u8(bits) % 7n);
  h = h * 1000003n + u64(u32(bits) % 7n);
  // signed: -16 / 3 == -5, -16 % 7 == -2 in every width
  let r: u64 = 0n;
  if (i8(bits) / 3n == -5n) r |= 1n;
  if (i16(bits) / 3n == -5n) r |= 2n;
  if (i32(bits) / 3n == -5n) r |= 4n;
  if (i64(bits) / 3n == -5n) r |= 8n;
  if (i8(bits) % 7n == -2n && i16(bits) % 7n == -2n && i32(bits) % 7n == -2n && i64(bits) % 7n == -2n) r |= 16n;
  if (u8(bits) / 3n == 80n && u16(bits) / 3n == 21840n && u32(bits) / 3n == 1431655760n) r |= 32n;
  return (h << 8n) | r;
}
