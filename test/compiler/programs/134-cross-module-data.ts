// expect: 216172959289531376
// Constants and static data imported from a sibling module.
import { u32, u64, i64 } from '../../../templates/rt/types.ts';
import { load32 } from '../../../templates/rt/intrinsics.ts';
import { SCALE, BIAS, PRIMES, prime } from './lib/mathlib.ts';

export function main(): u64 {
  let r: u64 = 0n;
  if (SCALE == 1000n && BIAS == -42n) r |= 1n;
  if (load32(PRIMES) == 2n && load32(PRIMES + 28n) == 19n) r |= 2n;
  let s: u32 = 0n;
  for (let i: u64 = 0n; i < 20n; i++) s += prime(i) * SCALE;
  const t: i64 = BIAS * i64(SCALE);
  return (r << 56n) ^ (u64(s) << 20n) ^ u64(u32(t));
}
