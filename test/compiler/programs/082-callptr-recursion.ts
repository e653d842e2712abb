// expect: 12525006765
// Recursion through a function pointer held in a global, 500 levels deep.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

let self: ptr = 0n;

function tri(n: u64): u64 {
  if (n == 0n) return 0n;
  return n + callptr(self, n - 1n);
}

function fibp(n: u64, f: u64): u64 {
  if (n < 2n) return n;
  return callptr(f, n - 1n, f) + callptr(f, n - 2n, f);
}

export function main(): u64 {
  self = fnaddr(tri);
  const t: u64 = tri(500n);
  const f: u64 = fibp(20n, fnaddr(fibp));
  return t * 100000n + f;
}
