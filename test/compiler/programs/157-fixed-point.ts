// expect: 310094284272704
// Q16.16 fixed-point arithmetic in i32 with i64 intermediates: multiply, divide, and a
// Newton iteration for the square root of 2.
import { i32, i64 } from '../../../templates/rt/types.ts';

const ONE: i32 = 65536n;

function fmul(a: i32, b: i32): i32 {
  return i32((i64(a) * i64(b)) >> 16n);
}
function fdiv(a: i32, b: i32): i32 {
  return i32((i64(a) << 16n) / i64(b));
}

export function main(): i64 {
  let r: i64 = 0n;
  const half: i32 = ONE / 2n;
  if (fmul(half, half) == ONE / 4n) r |= 1n;
  if (fmul(-half, ONE * 3n) == -98304n) r |= 2n;
  if (fdiv(ONE, 3n * ONE) == 21845n) r |= 4n;
  if (fdiv(-ONE, 3n * ONE) == -21845n) r |= 8n;
  let x: i32 = ONE;
  const two: i32 = 2n * ONE;
  for (let i: i32 = 0n; i < 8n; i++) x = (x + fdiv(two, x)) / 2n;
  if (x == 92681n) r |= 16n;
  // wrap: 300 * 300 in Q16.16 overflows i32
  const big: i32 = fmul(300n * ONE, 300n * ONE);
  return i64(x) * 1000000n + i64(big) + r * 10000000000000n;
}
