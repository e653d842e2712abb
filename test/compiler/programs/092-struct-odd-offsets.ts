// expect: 270582943356
// A struct with fields at odd offsets (u8, u32, u16, u64, u8, u16, u32): offsets and $size
// follow C alignment, and every field reads back what was written.
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';
import { struct, zeroed, load8, load16, load32, load64, store8, store16, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const S = struct({ a: u8, b: u32, c: u16, d: u64, e: u8, f: u16, g: u32 });
const BUF = zeroed(64n);

export function main(): u64 {
  let r: u64 = 0n;
  if (S.a == 0n && S.b == 4n && S.c == 8n && S.d == 16n) r |= 1n;
  if (S.e == 24n && S.f == 26n && S.g == 28n && S.$size == 32n) r |= 2n;
  store8(BUF + S.a, u8(0xa1n));
  store32(BUF + S.b, u32(0xb2b2b2b2n));
  store16(BUF + S.c, u16(0xc3c3n));
  store64(BUF + S.d, 0xd4d4d4d4d4d4d4d4n);
  store8(BUF + S.e, u8(0xe5n));
  store16(BUF + S.f, u16(0xf6f6n));
  store32(BUF + S.g, u32(0x07070707n));
  if (load8(BUF + S.a) == 0xa1n && load32(BUF + S.b) == 0xb2b2b2b2n) r |= 4n;
  if (load16(BUF + S.c) == 0xc3c3n && load64(BUF + S.d) == 0xd4d4d4d4d4d4d4d4n) r |= 8n;
  if (load8(BUF + S.e) == 0xe5n && load16(BUF + S.f) == 0xf6f6n && load32(BUF + S.g) == 0x07070707n) r |= 16n;
  // padding stays zero: bytes 1..3, 10..15, 25
  let pad: u64 = 0n;
  pad += u64(load8(BUF + 1n)) + u64(load8(BUF + 2n)) + u64(load8(BUF + 3n)) + u64(load8(BUF + 25n));
  for (let i: u64 = 10n; i < 16n; i++) pad += u64(load8(BUF + i));
  if (pad == 0n) r |= 32n;
  // sum of all bytes of the record
  let sum: u64 = 0n;
  for (let i: u64 = 0n; i < S.$size; i++) sum += u64(load8(BUF + i));
  return (r << 32n) | sum;
}
