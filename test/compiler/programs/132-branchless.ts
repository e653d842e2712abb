// expect: 1665018292469834075
// Signed bit tricks: abs via (x ^ m) - m, min/max via masks, sign via shifts.
import { i32, i64, u64 } from '../../../templates/rt/types.ts';

function abs64(x: i64): i64 {
  const m: i64 = x >> 63n;
  return (x ^ m) - m;
}
function min32(a: i32, b: i32): i32 {
  const d: i32 = a - b;
  return b + (d & (d >> 31n));
}
function sign64(x: i64): i64 {
  return (x >> 63n) | i64(u64(-x) >> 63n);
}

export function main(): i64 {
  let r: i64 = 0n;
  if (abs64(-5n) == 5n && abs64(5n) == 5n && abs64(0n) == 0n) r |= 1n;
  if (abs64(-9223372036854775808n) == -9223372036854775808n) r |= 2n;
  if (min32(-3n, 7n) == -3n && min32(100n, -100n) == -100n) r |= 4n;
  if (sign64(-77n) == -1n && sign64(0n) == 0n && sign64(88n) == 1n) r |= 8n;
  if (sign64(-9223372036854775808n) == -1n) r |= 16n;
  let s: i64 = 0n;
  for (let x: i64 = -1000n; x <= 1000n; x += 37n) s = s * 3n + abs64(x) + i64(min32(i32(x), 13n)) + sign64(x);
  return s * 100n + r;
}
