// expect: 8205146728066330496
// All 65536 pairs of i8 operands through + - * / % & | ^ and the signed comparisons, hashed
// (including -128 / -1, which wraps to -128).
import { i8, u8, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let h: u64 = 0n;
  let cmp: u64 = 0n;
  for (let i: u64 = 0n; i < 256n; i++) {
    const a: i8 = i8(i);
    for (let j: u64 = 0n; j < 256n; j++) {
      const b: i8 = i8(j);
      let v: u64 = u64(u8(a + b)) | (u64(u8(a - b)) << 8n) | (u64(u8(a * b)) << 16n) | (u64(u8(a & b)) << 24n) |
        (u64(u8(a | b)) << 32n) | (u64(u8(a ^ b)) << 40n);
      if (b != 0n) v ^= (u64(u8(a / b)) << 48n) | (u64(u8(a % b)) << 56n);
      h = (h ^ v) * 0x100000001b3n;
      if (a < b) cmp += 1n;
      if (a >= b) cmp += 0x10000n;
      if (a / 2n > b) cmp += 0x100000000n;
    }
  }
  return h ^ cmp;
}
