// expect: 67105018
// ~ in every type: unsigned results stay in range, signed ones are -x-1.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const z8: u8 = 0n;
  const z16: u16 = 0n;
  const z32: u32 = 0n;
  const z64: u64 = 0n;
  if (~z8 == 255n) r |= 1n;
  if (~z16 == 0xffffn) r |= 2n;
  if (~z32 == 0xffffffffn) r |= 4n;
  if (~z64 == 0xffffffffffffffffn) r |= 8n;
  const a8: i8 = 5n;
  const a16: i16 = -1n;
  const a32: i32 = -2147483648n;
  const a64: i64 = 9223372036854775807n;
  if (~a8 == -6n) r |= 16n;
  if (~a16 == 0n) r |= 32n;
  if (~a32 == 2147483647n) r |= 64n;
  if (~a64 == -9223372036854775808n) r |= 128n;
  const w: u32 = 0x12345678n;
  if (~w == 0xedcba987n) r |= 256n;
  if (~~w == w) r |= 512n;
  // ~ of a u8 must not set bits above bit 7 after widening
  const v: u8 = 0x0fn;
  return (r << 16n) | (u64(~v) << 8n) | u64(u8(~a8));
}
