// expect: 139781098893226
// & | ^ on every narrower type, signed and unsigned, including negative values.
import { u8, u16, u32, i8, i16, i32, i64, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a8: u8 = 0xa5n;
  const b8: u8 = 0x3cn;
  if ((a8 & b8) == 0x24n && (a8 | b8) == 0xbdn && (a8 ^ b8) == 0x99n) r |= 1n;
  const a16: u16 = 0xa5a5n;
  const b16: u16 = 0xff00n;
  if ((a16 & b16) == 0xa500n && (a16 | b16) == 0xffa5n && (a16 ^ b16) == 0x5aa5n) r |= 2n;
  const a32: u32 = 0xdeadbeefn;
  const b32: u32 = 0xffff0000n;
  if ((a32 & b32) == 0xdead0000n && (a32 | b32) == 0xffffbeefn && (a32 ^ b32) == 0x2152beefn) r |= 4n;
  const s8: i8 = -1n;
  const t8: i8 = 0x55n;
  if ((s8 & t8) == 0x55n && (s8 | t8) == -1n && (s8 ^ t8) == -86n) r |= 8n;
  const s16: i16 = -32768n;
  const t16: i16 = 0x7fffn;
  if ((s16 & t16) == 0n && (s16 | t16) == -1n && (s16 ^ t16) == -1n) r |= 16n;
  const s32: i32 = -2n;
  const t32: i32 = 0x12345679n;
  if ((s32 & t32) == 0x12345678n && (s32 | t32) == -1n && (s32 ^ t32) == -305419897n) r |= 32n;
  const s64: i64 = -256n;
  const t64: i64 = 0x1234n;
  if ((s64 & t64) == 0x1200n && (s64 | t64) == -204n && (s64 ^ t64) == -4812n) r |= 64n;
  // widen a few results to show them
  return (r << 40n) | (u64(a32 ^ b32) << 8n) | u64(u8(s8 ^ t8));
}
