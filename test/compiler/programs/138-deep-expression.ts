// expect: 18445683794497478585
// Deeply nested expressions: many pending intermediate values at once (value-stack depth).
import { u64 } from '../../../templates/rt/types.ts';

function f(x: u64): u64 {
  return x * 3n + 1n;
}

export function main(): u64 {
  const a: u64 = 2n;
  const b: u64 = 3n;
  const c: u64 = 5n;
  const d: u64 = 7n;
  const e: u64 = ((((a + (b * (c - (d ^ (a + (b * (c + (d * (a + (b + (c * (d + (a * b))))))))))))))));
  const g: u64 = (a + b) * (c + d) * (a + c) * (b + d) - (a * b + c * d) * (a * c + b * d) + ((a ^ b) | (c & d)) * (a << (b + c));
  const h: u64 = f(f(f(f(f(f(f(f(a)))))))) + f(b + f(c + f(d + f(a + f(b))))) * f(f(c) * f(d));
  const k: u64 = (a + (b + (c + (d + (a + (b + (c + (d + (a + (b + (c + (d + (a + (b + (c + (d + 1n))))))))))))))));
  const m: u64 = a * b + c * d + (a * c + b * d) * (a * d + b * c) + (a - b) * (c - d) * (a - c) * (b - d);
  return e ^ (g << 8n) ^ (h << 16n) ^ (k << 32n) ^ (m << 40n);
}
