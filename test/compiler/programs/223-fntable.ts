// expect: 7040
// fntable + fnfill: a table of functions (declared before and after it, and imported)
// becomes 64-bit addresses that callptr calls; fnfill writes only the count it is given.
import { u64 } from '../../../templates/rt/types.ts';
import { fntable, fnfill, callptr, load64, zeroed } from '../../../templates/rt/intrinsics.ts';
import { mulAdd } from './lib/mathlib.ts';

function seven(): u64 {
  return 7n;
}

const FNS = fntable([seven, twice, mulAdd]);
const OUT = zeroed(32n, 8n);

function twice(a: u64): u64 {
  return a * 2n;
}

export function main(): u64 {
  fnfill(OUT, FNS, 3n);
  const r: u64 = callptr(load64(OUT)) * 1000n + callptr(load64(OUT + 8n), 15n) + callptr(load64(OUT + 16n), 2n, 3n, 4n);
  return load64(OUT + 24n) == 0n ? r : 0n;
}
