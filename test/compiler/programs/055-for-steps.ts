// expect: 272730867293448
// for loops with ++, --, += and compound steps, counting down over unsigned values.
import { u8, u32, u64, i32 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 10n; i++) s += i;
  for (let i: u64 = 10n; i > 0n; i--) s += i * 100n;
  for (let i: u32 = 1n; i < 1000n; i *= 3n) s += u64(i) * 10000n;
  for (let i: i32 = 50n; i >= -50n; i -= 7n) s += u64(u32(i));
  // an unsigned count-down that stops at zero without wrapping
  let n: u64 = 0n;
  for (let i: u8 = 255n; i != 0n; i--) n++;
  // an u8 counter that wraps: 250, 251, ..., 255, 0, 1, 2, 3
  let m: u64 = 0n;
  for (let i: u8 = 250n; i != 4n; i++) m = m * 3n + u64(i);
  return s ^ (n << 40n) ^ (m << 20n);
}
