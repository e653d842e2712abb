// expect: 10086371753854743668
// Rotations built from shifts in u32 and u64 (SHA/xxhash style).
import { u32, u64 } from '../../../templates/rt/types.ts';

function rotl64(x: u64, n: u64): u64 {
  return (x << n) | (x >> (64n - n));
}
function rotr32(x: u32, n: u32): u32 {
  return (x >> n) | (x << (32n - n));
}

export function main(): u64 {
  let r: u64 = 0n;
  if (rotl64(0x8000000000000001n, 1n) == 3n) r |= 1n;
  if (rotl64(0x0123456789abcdefn, 32n) == 0x89abcdef01234567n) r |= 2n;
  if (rotr32(1n, 1n) == 0x80000000n) r |= 4n;
  if (rotr32(0x12345678n, 8n) == 0x78123456n) r |= 8n;
  // rotating by 64 / 32: the complementary count is 0, so both halves are x
  if (rotl64(0xabcn, 64n) == 0xabcn) r |= 16n;
  if (rotr32(0xabcn, 32n) == 0xabcn) r |= 32n;
  let h: u64 = 0x9e3779b97f4a7c15n;
  let g: u32 = 0x811c9dc5n;
  for (let i: u64 = 1n; i < 64n; i++) {
    h = rotl64(h * 0xbf58476d1ce4e5b9n, i) ^ i;
    g = rotr32(g ^ u32(i), u32(i) & 31n) * 0x01000193n;
  }
  return (r << 58n) ^ h ^ u64(g);
}
