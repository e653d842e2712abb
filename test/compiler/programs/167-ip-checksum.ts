// expect: 243809
// The Internet checksum: a one's-complement sum of u16 words with end-around carry.
import { u16, u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { table, zeroed, load8, store8, store16 } from '../../../templates/rt/intrinsics.ts';

// an IPv4 header with its checksum field (offset 10) zero
const HDR = table(1, [0x45n, 0x00n, 0x00n, 0x73n, 0x00n, 0x00n, 0x40n, 0x00n, 0x40n, 0x11n,
  0x00n, 0x00n, 0xc0n, 0xa8n, 0x00n, 0x01n, 0xc0n, 0xa8n, 0x00n, 0xc7n]);
const COPY = zeroed(20n);

function csum(p: ptr, n: u64): u16 {
  let s: u32 = 0n;
  for (let i: u64 = 0n; i < n; i += 2n) s += (u32(load8(p + i)) << 8n) | u32(load8(p + i + 1n));
  while ((s >> 16n) != 0n) s = (s & 0xffffn) + (s >> 16n);
  return ~u16(s);
}

export function main(): u64 {
  const c: u16 = csum(HDR, 20n);
  for (let i: u64 = 0n; i < 20n; i++) store8(COPY + i, load8(HDR + i));
  // COPY is zeroed() (16-byte aligned), so this u16 store is aligned
  store16(COPY + 10n, (c >> 8n) | (c << 8n));
  let r: u64 = 0n;
  if (c == 0xb861n) r |= 1n;
  if (csum(COPY, 20n) == 0n) r |= 2n;
  return (r << 16n) | u64(c);
}
