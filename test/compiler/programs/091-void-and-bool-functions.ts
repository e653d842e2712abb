// expect: 3628050
// void functions with early returns, and predicates used as loop conditions.
import { u64 } from '../../../templates/rt/types.ts';

let acc: u64 = 0n;
let n: u64 = 0n;

function addIfOdd(x: u64): void {
  if (x % 2n == 0n) return;
  acc += x;
}
function more(): boolean {
  n++;
  return n < 50n;
}

export function main(): u64 {
  while (more()) addIfOdd(n);
  let m: u64 = 0n;
  do {
    addIfOdd(m * 1000n + 1n);
    m++;
  } while (m < 3n);
  return acc * 1000n + n;
}
