// expect: 8351997
// u16 arithmetic wraps at 2^16.
import { u16, u64 } from '../../../templates/rt/types.ts';

function f(a: u16, b: u16): u16 {
  return a * b + a - b;
}

export function main(): u64 {
  const max: u16 = 0xffffn;
  let r: u64 = 0n;
  if (max + 1n == 0n) r |= 1n;
  if (max * max == 1n) r |= 2n;
  const z: u16 = 0n;
  if (z - 1n == max) r |= 4n;
  if (u16(0x100n) * u16(0x100n) == 0n) r |= 8n;
  if (max / 0x100n == 0xffn) r |= 16n;
  if (u16(50000n) + u16(50000n) == 34464n) r |= 32n;
  if (max % 256n == 255n) r |= 64n;
  return (r << 16n) | u64(f(40000n, 3n));
}
