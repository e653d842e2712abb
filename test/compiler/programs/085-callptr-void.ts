// expect: 38501234567890
// callptr on void functions as statements, with effects seen through globals and memory.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, fnaddr, callptr, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const BOX = zeroed(16n);
let total: u64 = 0n;

function addTo(v: u64): void {
  total += v;
}
function storeTo(p: ptr, v: u64): void {
  store64(p, load64(p) * 10n + v);
}

export function main(): u64 {
  const pa: ptr = fnaddr(addTo);
  const ps: ptr = fnaddr(storeTo);
  for (let i: u64 = 1n; i <= 10n; i++) {
    callptr(pa, i * i);
    callptr(ps, BOX, i % 10n);
  }
  return total * 100000000000n + load64(BOX);
}
