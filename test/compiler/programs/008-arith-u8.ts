// expect: 32617
// u8 arithmetic wraps at 256, for every operator.
import { u8, u64 } from '../../../templates/rt/types.ts';

function step(a: u8): u8 {
  return a * 13n + 7n;
}

export function main(): u64 {
  const max: u8 = 255n;
  let r: u64 = 0n;
  if (max + 1n == 0n) r |= 1n;
  const z: u8 = 0n;
  if (z - 1n == 255n) r |= 2n;
  if (u8(16n) * u8(16n) == 0n) r |= 4n;
  if (max * max == 1n) r |= 8n;
  if (max / 16n == 15n) r |= 16n;
  if (u8(200n) + u8(100n) == 44n) r |= 32n;
  if (u8(200n) % 7n == 4n) r |= 64n;
  // iterate an affine map 1000 times in u8
  let x: u8 = 1n;
  for (let i: u64 = 0n; i < 1000n; i++) x = step(x);
  return (r << 8n) | u64(x);
}
