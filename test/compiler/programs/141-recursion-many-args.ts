// expect: 15684277122765006129
// Mutually recursive functions with ten arguments each (stack arguments at every level).
import { u64 } from '../../../templates/rt/types.ts';

function left(n: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  if (n == 0n) return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ i;
  return right(n - 1n, i, a + 1n, b, c * 3n, d, e + n, f, g ^ n, h) + n;
}
function right(n: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  if (n == 0n) return a + b + c + d + e + f + g + h + i;
  return left(n - 1n, b, c, d, e, f, g, h, i, a * 7n) * 3n;
}

export function main(): u64 {
  return left(300n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n);
}
