// expect: 1014041140867
// for loops with break and continue, including a for(;;) with the exit in the body.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 100n; i++) {
    if (i % 3n == 0n) continue;
    if (i > 50n) break;
    s += i;
  }
  let t: u64 = 0n;
  let j: u64 = 0n;
  for (;;) {
    j++;
    if (j == 7n) continue;
    if (j > 12n) break;
    t = t * 2n + j;
  }
  let u: u64 = 0n;
  for (let k: u64 = 0n; ; k += 5n) {
    if (k >= 40n) break;
    u += k;
  }
  // continue in a for still runs the step
  let steps: u64 = 0n;
  for (let m: u64 = 0n; m < 10n; m++) {
    steps++;
    continue;
  }
  return s + t * 10000n + u * 100000000n + steps * 100000000000n;
}
