// expect: 5906250215152114644
// Byte swaps of u16, u32 and u64 with shifts and masks, and via memory bytes.
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load8, load64, store8, store64 } from '../../../templates/rt/intrinsics.ts';

const BUF = zeroed(16n);

function bswap16(x: u16): u16 {
  return (x << 8n) | (x >> 8n);
}
function bswap32(x: u32): u32 {
  return (x << 24n) | ((x << 8n) & 0x00ff0000n) | ((x >> 8n) & 0x0000ff00n) | (x >> 24n);
}
function bswap64(x: u64): u64 {
  return (u64(bswap32(u32(x))) << 32n) | u64(bswap32(u32(x >> 32n)));
}
function bswapMem(x: u64): u64 {
  store64(BUF, x);
  for (let i: u64 = 0n; i < 8n; i++) store8(BUF + 15n - i, load8(BUF + i));
  return load64(BUF + 8n);
}

export function main(): u64 {
  let r: u64 = 0n;
  if (bswap16(0x1234n) == 0x3412n && bswap16(0xff00n) == 0x00ffn) r |= 1n;
  if (bswap32(0x12345678n) == 0x78563412n && bswap32(0xff000080n) == 0x800000ffn) r |= 2n;
  if (bswap64(0x0102030405060708n) == 0x0807060504030201n) r |= 4n;
  if (bswapMem(0x0102030405060708n) == 0x0807060504030201n) r |= 8n;
  const k: u8 = 0x80n;
  if (bswap64(u64(k)) == 0x8000000000000000n) r |= 16n;
  let bad: u64 = 0n;
  let v: u64 = 0x9e3779b97f4a7c15n;
  for (let i: u64 = 0n; i < 50n; i++) {
    v = v * 0xbf58476d1ce4e5b9n + i;
    if (bswap64(v) != bswapMem(v)) bad++;
    if (bswap64(bswap64(v)) != v) bad++;
  }
  return (r << 56n) ^ (bad << 48n) ^ bswap64(v);
}
