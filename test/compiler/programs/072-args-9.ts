// expect: 9223404957779735167
// Nine parameters: the ninth goes on the stack on arm64, the fifth to ninth on x86-64.
import { u64 } from '../../../templates/rt/types.ts';

function f9(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  return a * 1n + b * 3n + c * 5n + d * 7n + e * 11n + f * 13n + g * 17n + h * 19n + i * 23n + (a ^ i) * 0x100000000n;
}

export function main(): u64 {
  let s: u64 = f9(1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n);
  s = s * 31n + f9(0xffffffffffffffffn, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0x8000000000000000n);
  s = s * 31n + f9(9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n);
  return s;
}
