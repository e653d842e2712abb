// expect: 791010161734952545
// for loops stepping with ++i / --i, calls in the condition and step, and empty bodies.
import { u64 } from '../../../templates/rt/types.ts';

let evals: u64 = 0n;

function limit(): u64 {
  evals++;
  return 10n;
}
function next(i: u64): u64 {
  return i + 3n;
}

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < limit(); ++i) s += i;
  let t: u64 = 0n;
  for (let i: u64 = 20n; i != 0n; --i) t = t * 2n + (i & 1n);
  let u: u64 = 0n;
  for (let i: u64 = 1n; i < 100n; i = next(i)) u += i;
  let k: u64 = 0n;
  for (; k < 1000n; k += 7n) {}
  let w: u64 = 0n;
  while (w < 77n) w += 11n;
  return s + t * 100n + u * 100000000n + k * 10000000000000n + evals * 1000000000000000n + w * 10000000000000000n;
}
