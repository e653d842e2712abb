// expect: -341289009992617202
// Division and remainder by constants (2, 3, 7, 10, 2^k) in signed and unsigned types:
// signed division by a power of two rounds toward zero, unlike an arithmetic shift.
import { u32, u64, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let r: i64 = 0n;
  const m7: i64 = -7n;
  if (m7 / 4n == -1n && m7 >> 2n == -2n) r |= 1n;
  if (m7 % 4n == -3n && (m7 & 3n) == 1n) r |= 2n;
  const m1: i32 = -1n;
  if (m1 / 2n == 0n && m1 % 2n == -1n && m1 >> 1n == -1n) r |= 4n;
  const mn: i64 = -9223372036854775808n;
  if (mn / 8n == -1152921504606846976n && mn % 8n == 0n) r |= 8n;
  let s: i64 = 0n;
  for (let x: i64 = -50n; x <= 50n; x++) s = s * 5n + x / 2n + x % 3n * 10n + x / 7n * 100n + x % 16n * 1000n + x / 10n;
  let t: u64 = 0n;
  for (let y: u32 = 0xfffffff0n; y != 0x10n; y++) t = t * 3n + u64(y / 3n + y % 10n + y / 1024n);
  const big: u64 = 0xfffffffffffffffbn;
  return s ^ i64(t) ^ i64(big / 10n) ^ i64(big % 10n) ^ (r << 56n);
}
