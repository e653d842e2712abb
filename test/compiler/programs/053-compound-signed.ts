// expect: -8438745
// Compound assignments on i8, i16, i32, i64 wrap and divide toward zero.
import { i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let a: i8 = 120n;
  a += 10n;
  let b: i16 = -32000n;
  b -= 1000n;
  let c: i32 = -7n;
  c /= 2n;
  let d: i32 = -7n;
  d %= 3n;
  let e: i64 = -9223372036854775807n;
  e -= 2n;
  let f: i8 = -1n;
  f <<= 7n;
  let g: i16 = -4096n;
  g >>= 4n;
  let h: i32 = 0x40000000n;
  h *= 2n;
  let r: i64 = 0n;
  if (a == -126n) r |= 1n;
  if (b == 32536n) r |= 2n;
  if (c == -3n) r |= 4n;
  if (d == -1n) r |= 8n;
  if (e == 9223372036854775807n) r |= 16n;
  if (f == -128n) r |= 32n;
  if (g == -256n) r |= 64n;
  if (h == -2147483648n) r |= 128n;
  let s: i16 = 0n;
  for (let i: i16 = -100n; i < 100n; i += 3n) {
    s -= i * 37n;
    s ^= i;
    s %= 10007n;
  }
  return i64(s) * 1000n + r;
}
