// expect: -2147483585
// MIN / -1 and MIN % -1 in i8, i16 and i32: the quotient wraps back to MIN, the remainder is 0.
import { i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

function d8(a: i8, b: i8): i8 {
  return a / b;
}
function m8(a: i8, b: i8): i8 {
  return a % b;
}
function d16(a: i16, b: i16): i16 {
  return a / b;
}
function m16(a: i16, b: i16): i16 {
  return a % b;
}
function d32(a: i32, b: i32): i32 {
  return a / b;
}
function m32(a: i32, b: i32): i32 {
  return a % b;
}

export function main(): i64 {
  let r: i64 = 0n;
  if (d8(-128n, -1n) == -128n) r |= 1n;
  if (m8(-128n, -1n) == 0n) r |= 2n;
  if (d16(-32768n, -1n) == -32768n) r |= 4n;
  if (m16(-32768n, -1n) == 0n) r |= 8n;
  if (d32(-2147483648n, -1n) == -2147483648n) r |= 16n;
  if (m32(-2147483648n, -1n) == 0n) r |= 32n;
  return r + i64(d32(-2147483648n, -1n));
}
