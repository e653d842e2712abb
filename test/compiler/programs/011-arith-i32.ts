// expect: 689956897255
// i32 arithmetic wraps at 32 bits and stays sign-extended.
import { i32, i64 } from '../../../templates/rt/types.ts';

function mad(a: i32, b: i32, c: i32): i32 {
  return a * b + c;
}

export function main(): i64 {
  const mx: i32 = 2147483647n;
  const mn: i32 = -2147483648n;
  let r: i64 = 0n;
  if (mx + 1n == mn) r |= 1n;
  if (mn - 1n == mx) r |= 2n;
  if (mx * mx == 1n) r |= 4n;
  if (mn * mn == 0n) r |= 8n;
  if (mad(65536n, 32768n, 0n) == mn) r |= 16n;
  if (mad(65536n, 65536n, 5n) == 5n) r |= 32n;
  if (-mn == mn) r |= 64n;
  if (mn < 0n) r |= 128n;
  let x: i32 = 1n;
  for (let i: i32 = 0n; i < 40n; i++) x = x * 3n;
  // 3^40 wrapped to i32, widened with its sign
  return i64(x) * 1000n + r;
}
