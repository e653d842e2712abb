// expect: 126997
// The extreme literal of every type, assigned, compared and widened.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  const a: u8 = 255n;
  const b: u16 = 65535n;
  const c: u32 = 4294967295n;
  const d: u64 = 18446744073709551615n;
  const e: i8 = -128n;
  const f: i16 = -32768n;
  const g: i32 = -2147483648n;
  const h: i64 = -9223372036854775808n;
  const i: i8 = 127n;
  const j: i16 = 32767n;
  const k: i32 = 2147483647n;
  const l: i64 = 9223372036854775807n;
  let r: i64 = 0n;
  if (a == 255n && b == 65535n && c == 4294967295n && d == 18446744073709551615n) r |= 1n;
  if (e < i && f < j && g < k && h < l) r |= 2n;
  if (i64(a) + i64(b) + i64(c) == 4295033085n) r |= 4n;
  if (i64(e) + i64(f) + i64(g) == -2147516544n) r |= 8n;
  if (i64(i) + i64(j) + i64(k) == 2147516541n) r |= 16n;
  if (h + l == -1n) r |= 32n;
  if (i64(d) == -1n) r |= 64n;
  return i64(e) + i64(f) + i64(g) + i64(i) + i64(j) + i64(k) + r * 1000n;
}
