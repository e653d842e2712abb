// expect: 6272030762366854837
// Sixteen narrow, signed and unsigned parameters: stack-passed values must arrive normalised.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

function g(a: i8, b: u8, c: i16, d: u16, e: i32, f: u32, g: i64, h: u64,
           i: i8, j: u8, k: i16, l: u16, m: i32, n: u32, o: i64, p: u64): i64 {
  let s: i64 = 0n;
  s = s * 3n + i64(a);
  s = s * 3n + i64(b);
  s = s * 3n + i64(c);
  s = s * 3n + i64(d);
  s = s * 3n + i64(e);
  s = s * 3n + i64(f);
  s = s * 3n + g;
  s = s * 3n + i64(h);
  s = s * 3n + i64(i);
  s = s * 3n + i64(j);
  s = s * 3n + i64(k);
  s = s * 3n + i64(l);
  s = s * 3n + i64(m);
  s = s * 3n + i64(n);
  s = s * 3n + o;
  s = s * 3n + i64(p);
  // narrow arithmetic on the incoming values wraps at their own width
  if (i + 1n == -127n && j + 1n == 0n && k - 1n == 32767n && l + 1n == 0n) s += 1000000000n;
  return s;
}

export function main(): i64 {
  const a: i8 = -1n;
  const b: u8 = 200n;
  const x: u64 = 0xfedcba9876543210n;
  return g(a, b, -300n, 60000n, -100000n, 4000000000n, -5000000000n, x,
           -128n, 255n, -32768n, 65535n, -2147483648n, 0xffffffffn, -9223372036854775808n, 0xffffffffffffffffn);
}
