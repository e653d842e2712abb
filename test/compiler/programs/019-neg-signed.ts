// expect: -255122556
// Unary minus on signed types; negating the minimum gives the minimum back.
import { i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

function n8(x: i8): i8 {
  return -x;
}
function n16(x: i16): i16 {
  return -x;
}
function n32(x: i32): i32 {
  return -x;
}
function n64(x: i64): i64 {
  return -x;
}

export function main(): i64 {
  let r: i64 = 0n;
  if (n8(-128n) == -128n) r |= 1n;
  if (n16(-32768n) == -32768n) r |= 2n;
  if (n32(-2147483648n) == -2147483648n) r |= 4n;
  if (n64(-9223372036854775808n) == -9223372036854775808n) r |= 8n;
  if (n8(127n) == -127n) r |= 16n;
  if (n32(-5n) == 5n) r |= 32n;
  if (n64(0n) == 0n) r |= 64n;
  const a: i32 = 7n;
  const b: i64 = -a == -7n ? 1n : 0n;
  if (b == 1n) r |= 128n;
  // sum of negated values widened from each width
  return i64(n8(100n)) + i64(n16(-1000n)) + i64(n32(123456n)) + n64(r) * 1000000n;
}
