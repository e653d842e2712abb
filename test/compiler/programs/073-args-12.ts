// expect: -2147479300
// Twelve parameters of mixed types, each checked by position.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

function f12(a: u64, b: u32, c: u16, d: u8, e: i64, f: i32, g: i16, h: i8, i: u64, j: i32, k: u8, l: i64): i64 {
  let r: i64 = 0n;
  if (a == 0xffffffffffffffffn) r |= 1n;
  if (b == 0xffffffffn) r |= 2n;
  if (c == 0xffffn) r |= 4n;
  if (d == 0xffn) r |= 8n;
  if (e == -1n) r |= 16n;
  if (f == -2n) r |= 32n;
  if (g == -3n) r |= 64n;
  if (h == -4n) r |= 128n;
  if (i == 12345n) r |= 256n;
  if (j == -2147483648n) r |= 512n;
  if (k == 7n) r |= 1024n;
  if (l == -9223372036854775808n) r |= 2048n;
  return r + i64(f) + i64(g) + i64(h) + i64(j) + i64(k) + i64(d);
}

export function main(): i64 {
  return f12(0xffffffffffffffffn, 0xffffffffn, 0xffffn, 0xffn, -1n, -2n, -3n, -4n, 12345n, -2147483648n, 7n, -9223372036854775808n);
}
