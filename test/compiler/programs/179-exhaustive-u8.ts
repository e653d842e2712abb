// expect: 9455739774713868160
// All 65536 pairs of u8 operands through + - * / % & | ^ and the comparisons, hashed.
import { u8, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let h: u64 = 0n;
  let cmp: u64 = 0n;
  for (let i: u64 = 0n; i < 256n; i++) {
    const a: u8 = u8(i);
    for (let j: u64 = 0n; j < 256n; j++) {
      const b: u8 = u8(j);
      let v: u64 = u64(a + b) | (u64(a - b) << 8n) | (u64(a * b) << 16n) | (u64(a & b) << 24n) | (u64(a | b) << 32n) | (u64(a ^ b) << 40n);
      if (b != 0n) v ^= (u64(a / b) << 48n) | (u64(a % b) << 56n);
      h = (h ^ v) * 0x100000001b3n;
      if (a < b) cmp += 1n;
      if (a <= b) cmp += 0x10000n;
      if (a > b) cmp += 0x100000000n;
    }
  }
  return h ^ cmp;
}
