// expect: 14929826403416528706
// zeroed() buffers used as arrays of u64, u32, u16: starts zero, indexed writes and reads.
import { u16, u32, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load16, load32, load64, store16, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const A64 = zeroed(8n * 100n);
const A32 = zeroed(4n * 100n);
const A16 = zeroed(2n * 100n);

export function main(): u64 {
  let z: u64 = 0n;
  for (let i: u64 = 0n; i < 100n; i++) z |= load64(A64 + i * 8n) | u64(load32(A32 + i * 4n)) | u64(load16(A16 + i * 2n));
  for (let i: u64 = 0n; i < 100n; i++) {
    store64(A64 + i * 8n, i * i * i * 0x9e3779b97f4a7c15n);
    store32(A32 + i * 4n, u32(i * 0x01000193n));
    store16(A16 + i * 2n, u16(i * 1009n));
  }
  // prefix sums in place
  for (let i: u64 = 1n; i < 100n; i++) {
    store64(A64 + i * 8n, load64(A64 + i * 8n) + load64(A64 + (i - 1n) * 8n));
    store32(A32 + i * 4n, load32(A32 + i * 4n) + load32(A32 + (i - 1n) * 4n));
    store16(A16 + i * 2n, load16(A16 + i * 2n) + load16(A16 + (i - 1n) * 2n));
  }
  return z + load64(A64 + 99n * 8n) ^ (u64(load32(A32 + 99n * 4n)) << 16n) ^ u64(load16(A16 + 99n * 2n));
}
