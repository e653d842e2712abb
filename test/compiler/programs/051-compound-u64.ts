// expect: 5109950742244471201
// Every compound assignment on a u64 variable, at the wrap edges.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let x: u64 = 0xfffffffffffffff0n;
  let h: u64 = 0n;
  x += 0x20n;
  h = h * 31n + x;
  x -= 0x30n;
  h = h * 31n + x;
  x *= 0x100000001n;
  h = h * 31n + x;
  x /= 3n;
  h = h * 31n + x;
  x %= 0x1000000007n;
  h = h * 31n + x;
  x &= 0xff00ff00ff00ff00n;
  h = h * 31n + x;
  x |= 0x8000000000000001n;
  h = h * 31n + x;
  x ^= 0xffffffffffffffffn;
  h = h * 31n + x;
  x <<= 3n;
  h = h * 31n + x;
  x >>= 1n;
  h = h * 31n + x;
  let r: u64 = 0n;
  let y: u64 = 0n;
  y -= 1n;
  if (y == 0xffffffffffffffffn) r |= 1n;
  y += 2n;
  if (y == 1n) r |= 2n;
  y *= 0x8000000000000000n;
  if (y == 0x8000000000000000n) r |= 4n;
  y *= 2n;
  if (y == 0n) r |= 8n;
  return (r << 60n) ^ h;
}
