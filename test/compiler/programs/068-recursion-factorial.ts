// expect: 10493299791394504704
// Recursive factorial in u64 (wrapping from 21! on) and in u32.
import { u32, u64 } from '../../../templates/rt/types.ts';

function fact(n: u64): u64 {
  if (n <= 1n) return 1n;
  return n * fact(n - 1n);
}

function fact32(n: u32): u32 {
  return n == 0n ? 1n : n * fact32(n - 1n);
}

export function main(): u64 {
  let r: u64 = 0n;
  if (fact(20n) == 2432902008176640000n) r |= 1n;
  if (fact(21n) == 14197454024290336768n) r |= 2n;
  if (fact32(12n) == 479001600n) r |= 4n;
  if (fact32(13n) == 1932053504n) r |= 8n;
  return (r << 60n) ^ fact(25n) ^ u64(fact32(34n));
}
