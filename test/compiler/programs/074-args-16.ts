// expect: 4725674095084006358
// Sixteen parameters (the maximum), with a recursive call that passes them rotated.
import { u64 } from '../../../templates/rt/types.ts';

function f16(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64,
             i: u64, j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64): u64 {
  if (a == 0n) {
    return b + c * 2n + d * 3n + e * 4n + f * 5n + g * 6n + h * 7n + i * 8n +
      j * 9n + k * 10n + l * 11n + m * 12n + n * 13n + o * 14n + p * 15n;
  }
  return f16(a - 1n, p, b, c, d, e, f, g, h, i, j, k, l, m, n, o) * 17n + a;
}

export function main(): u64 {
  const x: u64 = f16(0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n);
  const y: u64 = f16(20n, 100n, 200n, 300n, 400n, 500n, 600n, 700n, 800n, 900n, 1000n, 1100n, 1200n, 1300n, 1400n, 1500n);
  return x * 0x100000000n + y;
}
