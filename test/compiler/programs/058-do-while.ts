// expect: 9087654321132507
// do/while runs its body at least once; continue jumps to the condition.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let a: u64 = 0n;
  do {
    a += 7n;
  } while (a > 100n);
  let b: u64 = 0n;
  let n: u64 = 0n;
  do {
    n++;
    if (n % 2n == 0n) continue;
    b += n;
  } while (n < 10n);
  let c: u64 = 1n;
  let k: u64 = 0n;
  do {
    c = c * 3n;
    k++;
    if (c > 1000000n) break;
  } while (true);
  // digit reversal
  let x: u64 = 1234567809n;
  let rev: u64 = 0n;
  do {
    rev = rev * 10n + x % 10n;
    x /= 10n;
  } while (x != 0n);
  return a + b * 100n + k * 10000n + rev * 1000000n;
}
