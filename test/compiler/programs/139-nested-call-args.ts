// expect: 5497892010570697
// Calls whose arguments are calls with stack-passed arguments of their own.
import { u64 } from '../../../templates/rt/types.ts';

function f9(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  return (a << 32n) + (b << 28n) + (c << 24n) + (d << 20n) + (e << 16n) + (f << 12n) + (g << 8n) + (h << 4n) + i;
}
function f5(a: u64, b: u64, c: u64, d: u64, e: u64): u64 {
  return a * 10000n + b * 1000n + c * 100n + d * 10n + e;
}

export function main(): u64 {
  const x: u64 = f9(1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, f9(9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n) & 15n);
  const y: u64 = f9(f5(1n, 2n, 3n, 4n, 5n) & 15n, 1n, f5(5n, 4n, 3n, 2n, 1n) & 15n, 2n, 3n,
                    f9(1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n) & 15n, 4n, 5n, f5(0n, 0n, 0n, 0n, 9n));
  const z: u64 = f5(f5(1n, 1n, 1n, 1n, 1n), f5(2n, 2n, 2n, 2n, 2n), f5(3n, 3n, 3n, 3n, 3n), f5(4n, 4n, 4n, 4n, 4n),
                    f9(f5(1n, 0n, 0n, 0n, 0n), 0n, 0n, 0n, 0n, 0n, 0n, 0n, f5(0n, 0n, 0n, 0n, 1n)));
  return x ^ (y << 3n) ^ (z << 7n);
}
