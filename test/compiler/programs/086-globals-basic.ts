// expect: 1080863910613935549
// Module-level globals read and written by several functions.
import { u64 } from '../../../templates/rt/types.ts';

let counter: u64 = 5n;
let total: u64 = 0xfffffffffffffff0n;
let last: u64 = 0n;

function bump(by: u64): void {
  counter += by;
  last = by;
}
function accumulate(): u64 {
  total = total + counter;
  return total;
}
function reset(): void {
  counter = 0n;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (counter == 5n && total == 0xfffffffffffffff0n && last == 0n) r |= 1n;
  bump(3n);
  if (counter == 8n && last == 3n) r |= 2n;
  accumulate();
  if (total == 0xfffffffffffffff8n) r |= 4n;
  accumulate();
  if (total == 0n) r |= 8n;
  reset();
  for (let i: u64 = 0n; i < 10n; i++) {
    bump(i);
    accumulate();
  }
  return (r << 56n) ^ (counter * 1000000n + total * 100n + last);
}
