// expect: -8318780803917818197
// Globals of every integer type keep their width: stores wrap, loads extend correctly.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

let g8: u8 = 250n;
let g16: u16 = 65530n;
let g32: u32 = 4294967290n;
let g64: u64 = 18446744073709551610n;
let s8: i8 = -128n;
let s16: i16 = 32767n;
let s32: i32 = -2147483648n;
let s64: i64 = 9223372036854775807n;

function step(): void {
  g8 += 3n;
  g16 += 3n;
  g32 += 3n;
  g64 += 3n;
  s8 -= 1n;
  s16 += 1n;
  s32--;
  s64++;
}

export function main(): i64 {
  let h: i64 = 0n;
  for (let i: u64 = 0n; i < 4n; i++) {
    step();
    h = h * 1000003n + i64(g8) + i64(g16) + i64(g32) + i64(g64) + i64(s8) + i64(s16) + i64(s32) + s64;
  }
  let r: i64 = 0n;
  if (g8 == 6n && g16 == 6n && g32 == 6n && g64 == 6n) r |= 1n;
  if (s8 == 124n && s16 == -32765n && s32 == 2147483644n && s64 == -9223372036854775805n) r |= 2n;
  return h ^ r;
}
