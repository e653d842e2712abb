// expect: 6192741836518206741
// u8 and u16 shifts: << wraps to the width, >> shifts in zeros; counts past the width give 0.
import { u8, u16, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u8 = 0x81n;
  if (a << 1n == 2n) r |= 1n;
  if (a >> 1n == 0x40n) r |= 2n;
  if (a << 7n == 0x80n) r |= 4n;
  if (a << 8n == 0n) r |= 8n;
  if (a >> 7n == 1n) r |= 16n;
  if (a >> 8n == 0n) r |= 32n;
  if (a << 31n == 0n && a >> 63n == 0n) r |= 64n;
  const b: u16 = 0x8001n;
  if (b << 1n == 2n) r |= 128n;
  if (b >> 15n == 1n) r |= 256n;
  if (b << 16n == 0n && b >> 16n == 0n) r |= 512n;
  if (b << 32n == 0n) r |= 1024n;
  if (b << 64n == b) r |= 2048n;
  let x: u8 = 1n;
  let y: u16 = 1n;
  let h: u64 = 0n;
  for (let i: u8 = 0n; i < 20n; i++) {
    x = (x << 1n) | (x >> 7n);
    y = (y << 3n) ^ (y >> 5n) ^ u16(i);
    h = h * 257n + u64(x) + u64(y);
  }
  return (r << 52n) ^ h;
}
