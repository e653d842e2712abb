// expect: 906125344914
// Ackermann function A(2, n) and A(3, n) for small n: deeply nested, irregular recursion.
import { u64 } from '../../../templates/rt/types.ts';

let calls: u64 = 0n;

function ack(m: u64, n: u64): u64 {
  calls++;
  if (m == 0n) return n + 1n;
  if (n == 0n) return ack(m - 1n, 1n);
  return ack(m - 1n, ack(m, n - 1n));
}

export function main(): u64 {
  const a: u64 = ack(2n, 3n);
  const b: u64 = ack(3n, 3n);
  const c: u64 = ack(3n, 5n);
  return a * 100000000000n + b * 100000000n + c * 100000n + calls;
}
