// expect: 13712563445014665020
// Bit reversal of u32 and u8, by loop and by the swap-halves method.
import { u8, u32, u64 } from '../../../templates/rt/types.ts';

function rev32Loop(x: u32): u32 {
  let r: u32 = 0n;
  for (let i: u32 = 0n; i < 32n; i++) {
    r = (r << 1n) | (x & 1n);
    x >>= 1n;
  }
  return r;
}
function rev32Swap(x: u32): u32 {
  x = ((x >> 1n) & 0x55555555n) | ((x & 0x55555555n) << 1n);
  x = ((x >> 2n) & 0x33333333n) | ((x & 0x33333333n) << 2n);
  x = ((x >> 4n) & 0x0f0f0f0fn) | ((x & 0x0f0f0f0fn) << 4n);
  x = ((x >> 8n) & 0x00ff00ffn) | ((x & 0x00ff00ffn) << 8n);
  return (x >> 16n) | (x << 16n);
}
function rev8(b: u8): u8 {
  b = (b & 0xf0n) >> 4n | (b & 0x0fn) << 4n;
  b = (b & 0xccn) >> 2n | (b & 0x33n) << 2n;
  b = (b & 0xaan) >> 1n | (b & 0x55n) << 1n;
  return b;
}

export function main(): u64 {
  let bad: u64 = 0n;
  let h: u64 = 0n;
  let v: u32 = 1n;
  for (let i: u64 = 0n; i < 300n; i++) {
    v = v * 1664525n + 1013904223n;
    if (rev32Loop(v) != rev32Swap(v)) bad++;
    h = h * 31n + u64(rev32Swap(v));
  }
  let b: u64 = 0n;
  for (let i: u64 = 0n; i < 256n; i++) b += u64(rev8(u8(i))) * i;
  return (bad << 60n) ^ h ^ (b << 20n) ^ u64(rev32Loop(1n));
}
