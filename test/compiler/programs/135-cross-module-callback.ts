// expect: 18219518323264697126
// A sibling module calls back into this one through fnaddr, and this one calls the sibling's
// function through fnaddr of an imported function.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';
import { repeat, mulAdd } from './lib/mathlib.ts';

let hits: u64 = 0n;

function step(acc: u64, i: u64): u64 {
  hits++;
  return acc * 6364136223846793005n + i;
}

export function main(): u64 {
  const a: u64 = repeat(fnaddr(step), 100n, 1n);
  const p: ptr = fnaddr(mulAdd);
  const x: u64 = 3n;
  const y: u64 = 0x5555555555555555n;
  const z: u64 = 2n;
  const b: u64 = callptr(p, x, y, z);
  return a ^ b ^ (hits << 48n);
}
