// expect: 1523111118
// while loops: zero iterations, counted loops, loops driven by a data-dependent condition.
import { u64 } from '../../../templates/rt/types.ts';

function digits(x: u64): u64 {
  let n: u64 = 0n;
  while (x != 0n) {
    x = x / 10n;
    n++;
  }
  return n;
}

function collatz(x: u64): u64 {
  let steps: u64 = 0n;
  while (x != 1n) {
    if (x % 2n == 0n) x = x / 2n;
    else x = 3n * x + 1n;
    steps++;
  }
  return steps;
}

export function main(): u64 {
  let s: u64 = 0n;
  let i: u64 = 5n;
  while (i < 5n) s += 1000n;
  while (i > 0n) {
    s += i;
    i--;
  }
  s = s * 100n + digits(0n) + digits(9n) + digits(10n) + digits(0xffffffffffffffffn);
  s = s * 1000n + collatz(27n);
  s = s * 1000n + collatz(97n);
  return s;
}
