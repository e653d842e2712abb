// expect: 1558256259623781384
// Recursion 10000 calls deep (non-tail: the add happens after the call returns); the sum of n^4 wraps past 2^64.
import { u64 } from '../../../templates/rt/types.ts';

function sum(n: u64): u64 {
  if (n == 0n) return 0n;
  return n * n * n * n + sum(n - 1n);
}

export function main(): u64 {
  return sum(10000n);
}
