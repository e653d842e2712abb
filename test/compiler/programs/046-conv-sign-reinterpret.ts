// expect: 25504295032631
// Same width, other signedness: the bits stay, the value changes.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let r: i64 = 0n;
  const h: u64 = 0x8000000000000000n;
  if (i64(h) == -9223372036854775808n) r |= 1n;
  if (u64(i64(h)) == h) r |= 2n;
  if (i32(u32(0x80000000n)) == -2147483648n) r |= 4n;
  if (i16(u16(0x8000n)) == -32768n) r |= 8n;
  if (i8(u8(0x80n)) == -128n) r |= 16n;
  const m: i32 = -1n;
  if (u32(m) == 0xffffffffn) r |= 32n;
  const n: i16 = -300n;
  if (u16(n) == 65236n) r |= 64n;
  const p: i8 = -100n;
  if (u8(p) == 156n) r |= 128n;
  return i64(u32(m)) + i64(u16(n)) + i64(u8(p)) + i64(i8(u8(200n))) + r * 100000000000n;
}
