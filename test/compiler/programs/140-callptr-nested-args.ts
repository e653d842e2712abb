// expect: 266907
// callptr with arguments that are themselves indirect calls with stack arguments.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function ten(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64, j: u64): u64 {
  return a * 1n + b * 2n + c * 4n + d * 8n + e * 16n + f * 32n + g * 64n + h * 128n + i * 256n + j * 512n;
}
function two(a: u64, b: u64): u64 {
  return a * 1000n + b;
}

export function main(): u64 {
  const t: ptr = fnaddr(ten);
  const w: ptr = fnaddr(two);
  const one: u64 = 1n;
  const zero: u64 = 0n;
  const v: u64 = callptr(t, one, callptr(w, one, one), zero, callptr(t, one, one, one, one, one, one, one, one, one, one),
                         one, zero, callptr(w, zero, one), one, callptr(w, one, zero), one);
  return v;
}
