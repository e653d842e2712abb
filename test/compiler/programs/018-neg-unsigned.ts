// expect: 35748421554012160
// Unary minus on unsigned types is 2^w - x (and 0 stays 0).
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';

function negu32(x: u32): u32 {
  return -x;
}

export function main(): u64 {
  let r: u64 = 0n;
  const one8: u8 = 1n;
  const one16: u16 = 1n;
  const one64: u64 = 1n;
  if (-one8 == 255n) r |= 1n;
  if (-one16 == 0xffffn) r |= 2n;
  if (negu32(1n) == 0xffffffffn) r |= 4n;
  if (-one64 == 0xffffffffffffffffn) r |= 8n;
  if (negu32(0n) == 0n) r |= 16n;
  if (negu32(0x80000000n) == 0x80000000n) r |= 32n;
  const h: u64 = 0x8000000000000000n;
  if (-h == h) r |= 64n;
  // x & -x isolates the lowest set bit
  const x: u64 = 0x0000050000000000n;
  const y: u32 = 0x00060000n;
  return (r << 48n) | (x & -x) | u64(y & negu32(y));
}
