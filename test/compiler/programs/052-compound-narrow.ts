// expect: 281298882428686
// Compound assignments on u8, u16, u32 wrap at the variable's width.
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let a: u8 = 250n;
  a += 10n;
  let b: u16 = 10n;
  b -= 20n;
  let c: u32 = 0x10000n;
  c *= 0x10001n;
  let d: u8 = 0x80n;
  d <<= 1n;
  let e: u16 = 0xffffn;
  e >>= 4n;
  let f: u32 = 100n;
  f /= 7n;
  let g: u8 = 200n;
  g %= 7n;
  let h: u16 = 0xf0f0n;
  h &= 0x0ff0n;
  h |= 0x8001n;
  h ^= 0xffffn;
  let r: u64 = 0n;
  if (a == 4n) r |= 1n;
  if (b == 65526n) r |= 2n;
  if (c == 0x10000n) r |= 4n;
  if (d == 0n) r |= 8n;
  if (e == 0x0fffn) r |= 16n;
  if (f == 14n) r |= 32n;
  if (g == 4n) r |= 64n;
  if (h == 0x7f0en) r |= 128n;
  let acc: u8 = 0n;
  for (let i: u32 = 0n; i < 300n; i++) {
    acc += u8(i);
    acc ^= 0x5an;
    acc *= 3n;
  }
  return (r << 40n) | (u64(acc) << 32n) | (u64(b) << 16n) | u64(h);
}
