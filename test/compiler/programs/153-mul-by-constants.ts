// expect: 10966650225078663360
// Multiplication by constants that compilers like to strength-reduce, with wrap-around.
import { u8, u32, u64, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let h: u64 = 0n;
  let x: u64 = 0x0123456789abcdefn;
  for (let i: u64 = 0n; i < 64n; i++) {
    x = x ^ (x >> 7n) ^ i;
    h = h * 31n + x * 3n + x * 5n + x * 9n + x * 0x100000001n + x * 0xffffffffffffffffn + x * 0n + x * 1n + x * 1024n;
  }
  const a: u32 = 0x55555555n;
  const b: i32 = -0x12345678n;
  const c: u8 = 0xabn;
  const d: i64 = -3n;
  let r: u64 = 0n;
  if (a * 3n == 0xffffffffn && a * 6n == 0xfffffffen) r |= 1n;
  if (b * -1n == 0x12345678n && b * 16n == -0x23456780n) r |= 2n;
  if (c * 2n == 0x56n && c * 255n == 0x55n) r |= 4n;
  if (d * 0x5555555555555555n == 1n && d * 0x2aaaaaaaaaaaaaabn == 9223372036854775807n) r |= 8n;
  return (r << 60n) ^ h;
}
