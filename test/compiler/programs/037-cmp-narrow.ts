// expect: 561850441921664
// Comparisons of u8/i8 and u16/i16 around their sign boundaries.
import { u8, u16, i8, i16, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u8 = 0x80n;
  const b: u8 = 0x7fn;
  if (a > b) r |= 1n;
  if (i8(a) < i8(b)) r |= 2n;
  if (u8(255n) > u8(0n)) r |= 4n;
  if (i8(u8(255n)) < i8(0n)) r |= 8n;
  const c: u16 = 0x8000n;
  const d: u16 = 0x7fffn;
  if (c > d) r |= 16n;
  if (i16(c) < i16(d)) r |= 32n;
  if (i16(c) == -32768n) r |= 64n;
  if (i16(u16(0xffffn)) == -1n) r |= 128n;
  const e: i8 = -1n;
  if (e <= -1n && e >= -1n && e != 0n) r |= 256n;
  // u8 values sorted as signed: count inversions in 0..255 against 128
  let n: u64 = 0n;
  for (let x: u16 = 0n; x < 256n; x++) {
    const v: u8 = u8(x);
    if (v < 128n) n++;
    if (i8(v) < 0n) n += 1000n;
    if (i16(x) < 0n) n += 1000000n;
  }
  return (r << 40n) | n;
}
