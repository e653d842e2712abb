// expect: 9591571988392118638
// Calls into a sibling module (lib/mathlib.ts): arguments, narrow returns, and its own global.
import { u8, u64, i64 } from '../../../templates/rt/types.ts';
import { mulAdd, scaled, biased, wrap8, callCount, nineArgs } from './lib/mathlib.ts';

export function main(): u64 {
  let h: u64 = 0n;
  h = h * 31n + mulAdd(0xffffffffn, 0xffffffffn, 7n);
  h = h * 31n + u64(scaled(5000000n));
  h = h * 31n + u64(biased(-9223372036854775807n));
  const a: u8 = 200n;
  h = h * 31n + u64(wrap8(a, 100n));
  h = h * 31n + nineArgs(1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n);
  const b: i64 = biased(40n);
  return h ^ (callCount() << 56n) ^ u64(b);
}
