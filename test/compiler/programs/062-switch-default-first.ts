// expect: 123499000100401000
// switch where default is not last, over signed values with negative cases, and over u8.
import { u8, u64, i32 } from '../../../templates/rt/types.ts';

function sgn(x: i32): u64 {
  let r: u64 = 0n;
  switch (x) {
    default:
      r = 9n;
      break;
    case -1n:
      r = 1n;
      break;
    case -2147483648n:
      r = 2n;
      break;
    case 2147483647n:
      r = 3n;
      break;
    case 0n:
      r = 4n;
  }
  return r;
}

function byte(b: u8): u64 {
  switch (b) {
    case 0n:
      return 100n;
    case 0x7fn:
      return 200n;
    case 0x80n:
      return 300n;
    case 0xffn:
      return 400n;
  }
  return 0n;
}

export function main(): u64 {
  let h: u64 = 0n;
  h = h * 10n + sgn(-1n);
  h = h * 10n + sgn(-2147483648n);
  h = h * 10n + sgn(2147483647n);
  h = h * 10n + sgn(0n);
  h = h * 10n + sgn(1n);
  h = h * 10n + sgn(-2n);
  let b: u64 = 0n;
  b += byte(0n) + byte(0x7fn) + byte(0x80n) + byte(0xffn) + byte(1n);
  let x: u8 = 0xfen;
  x += 1n;
  b += byte(x) * 1000n;
  x += 1n;
  b += byte(x) * 1000000n;
  return h * 1000000000000n + b;
}
