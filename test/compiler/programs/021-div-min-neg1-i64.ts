// expect: -9223372036854760
// i64 MIN / -1 wraps to MIN and MIN % -1 is 0 (x86 idiv traps on this: the compiler must not).
import { i64 } from '../../../templates/rt/types.ts';

function div(a: i64, b: i64): i64 {
  return a / b;
}
function rem(a: i64, b: i64): i64 {
  return a % b;
}

export function main(): i64 {
  const mn: i64 = -9223372036854775808n;
  let r: i64 = 0n;
  if (div(mn, -1n) == mn) r |= 1n;
  if (rem(mn, -1n) == 0n) r |= 2n;
  if (div(mn, 1n) == mn) r |= 4n;
  if (rem(-5n, -1n) == 0n) r |= 8n;
  return r + div(mn, -1n) / 1000n;
}
