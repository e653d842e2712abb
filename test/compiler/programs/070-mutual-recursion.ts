// expect: 14679925872419775353
// Mutual recursion: isEven/isOdd 3000 deep, and a pair of functions building a number.
import { u64 } from '../../../templates/rt/types.ts';

function isEven(n: u64): boolean {
  if (n == 0n) return true;
  return isOdd(n - 1n);
}
function isOdd(n: u64): boolean {
  if (n == 0n) return false;
  return isEven(n - 1n);
}

function ping(n: u64, acc: u64): u64 {
  if (n == 0n) return acc;
  return pong(n - 1n, acc * 3n + n);
}
function pong(n: u64, acc: u64): u64 {
  if (n == 0n) return acc;
  return ping(n - 1n, acc ^ (n << 7n));
}

export function main(): u64 {
  let r: u64 = 0n;
  if (isEven(3000n)) r |= 1n;
  if (isOdd(2999n)) r |= 2n;
  if (!isOdd(2000n)) r |= 4n;
  if (!isEven(1n)) r |= 8n;
  return (r << 60n) ^ ping(2000n, 1n);
}
