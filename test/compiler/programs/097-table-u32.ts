// expect: 17357459433857160550
// A table(4, …) of u32 values: sums must wrap at 32 bits only when done in u32.
import { u32, u64 } from '../../../templates/rt/types.ts';
import { table, load32, load16 } from '../../../templates/rt/intrinsics.ts';

const T = table(4, [0xffffffffn, 0x80000000n, 1n, 0n, 0x12345678n, 0xdeadbeefn, 0x7fffffffn]);

export function main(): u64 {
  let s32: u32 = 0n;
  let s64: u64 = 0n;
  for (let i: u64 = 0n; i < 7n; i++) {
    s32 += load32(T + i * 4n);
    s64 += u64(load32(T + i * 4n));
  }
  const hi: u64 = u64(load16(T + 22n));
  return (u64(s32) << 32n) ^ s64 ^ (hi << 16n);
}
