// expect: 135678912414
// && and || evaluate their right side only when needed: side effects on a global show it.
import { u64 } from '../../../templates/rt/types.ts';

let calls: u64 = 0n;

function t(tag: u64): boolean {
  calls = calls * 10n + tag;
  return true;
}
function f(tag: u64): boolean {
  calls = calls * 10n + tag;
  return false;
}

export function main(): u64 {
  let m: u64 = 0n;
  if (f(1n) && t(2n)) m |= 1n;
  if (t(3n) || f(4n)) m |= 2n;
  if (t(5n) && f(6n) || t(7n)) m |= 4n;
  if (f(8n) || (t(9n) && t(1n))) m |= 8n;
  if (!(f(2n) && t(3n)) && !t(4n)) m |= 16n;
  return calls * 100n + m;
}
