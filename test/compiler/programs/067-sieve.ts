// expect: 1229057363969973
// Sieve of Eratosthenes over a zeroed() byte array.
import { u8, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const N: u64 = 10000n;
const SIEVE = zeroed(10000n);

export function main(): u64 {
  for (let i: u64 = 2n; i * i < N; i++) {
    if (load8(SIEVE + i) != 0n) continue;
    for (let j: u64 = i * i; j < N; j += i) store8(SIEVE + j, u8(1n));
  }
  let count: u64 = 0n;
  let sum: u64 = 0n;
  let last: u64 = 0n;
  for (let i: u64 = 2n; i < N; i++) {
    if (load8(SIEVE + i) == 0n) {
      count++;
      sum += i;
      last = i;
    }
  }
  return count * 1000000000000n + sum * 10000n + last;
}
