// expect: 408125067169091700
// Mixed-width arithmetic through explicit conversions: each step wraps at its own width.
import { u8, u16, u32, u64, i8, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const a: u8 = 200n;
  const b: u8 = 100n;
  let r: u64 = 0n;
  if (a + b == 44n) r |= 1n;
  if (u16(a) + u16(b) == 300n) r |= 2n;
  if (u64(a + b) == 44n) r |= 4n;
  const c: u32 = 0xffffffffn;
  if (u64(c + 1n) == 0n) r |= 8n;
  if (u64(c) + 1n == 0x100000000n) r |= 16n;
  const d: u32 = 0x10000n;
  if (u64(d * d) == 0n && u64(d) * u64(d) == 0x100000000n) r |= 32n;
  const e: i8 = -100n;
  if (i32(e) * 3n == -300n && e * 3n == -44n) r |= 64n;
  const f: u64 = 0x100000005n - 0x100000000n;
  if (f == 5n) r |= 128n;
  let s8: u8 = 0n;
  let s16: u16 = 0n;
  let s32: u32 = 0n;
  let s64: u64 = 0n;
  let si: i32 = 0n;
  for (let i: u64 = 0n; i < 1000n; i++) {
    const k: u64 = i * 0x9e3779b97f4a7c15n;
    s8 = s8 + u8(k);
    s16 = s16 + u16(k >> 8n);
    s32 = s32 + u32(k >> 16n);
    s64 = s64 + k;
    si = si + i32(i8(k >> 24n));
  }
  return (r << 56n) ^ (u64(s8) << 48n) ^ (u64(s16) << 32n) ^ u64(s32) ^ s64 ^ u64(i64(si));
}
