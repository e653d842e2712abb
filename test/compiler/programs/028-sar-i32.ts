// expect: -45418808855905
// i32 shifts: >> copies the 32-bit sign, << wraps into the sign bit.
import { i32, i64 } from '../../../templates/rt/types.ts';

function sar(a: i32, n: i32): i32 {
  return a >> n;
}
function shl(a: i32, n: i32): i32 {
  return a << n;
}

export function main(): i64 {
  const mn: i32 = -2147483648n;
  let r: i64 = 0n;
  if (sar(mn, 1n) == -1073741824n) r |= 1n;
  if (sar(mn, 31n) == -1n) r |= 2n;
  if (sar(mn, 32n) == -1n) r |= 4n;
  if (sar(mn, 63n) == -1n) r |= 8n;
  if (sar(2147483647n, 31n) == 0n) r |= 16n;
  if (sar(2147483647n, 40n) == 0n) r |= 32n;
  if (shl(1n, 31n) == mn) r |= 64n;
  if (shl(1n, 32n) == 0n) r |= 128n;
  if (shl(3n, 30n) == -1073741824n) r |= 256n;
  if (shl(-1n, 31n) == mn) r |= 512n;
  if (shl(0x12345678n, 4n) == 0x23456780n) r |= 1024n;
  if (shl(0x12345678n, 8n) == 878082048n) r |= 2048n;
  let s: i64 = 0n;
  for (let n: i32 = 0n; n < 36n; n++) s = s + i64(sar(-123456789n, n)) + i64(shl(-7n, n));
  return s * 10000n + r;
}
