// expect: 2296836818671116088
// <<= and >>= in each width, with the same wrap and sign rules as << and >>.
import { u8, u32, u64, i16, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let a: u8 = 0x0fn;
  a <<= 4n;
  a <<= 1n;
  let b: u32 = 0xdeadbeefn;
  b >>= 4n;
  b <<= 8n;
  let c: i16 = -1000n;
  c >>= 3n;
  c <<= 6n;
  let d: u64 = 1n;
  d <<= 63n;
  d >>= 62n;
  let e: i64 = -1n;
  e <<= 63n;
  e >>= 60n;
  let r: u64 = 0n;
  if (a == 0xe0n) r |= 1n;
  if (b == 0xeadbee00n) r |= 2n;
  if (c == -8000n) r |= 4n;
  if (d == 2n) r |= 8n;
  if (e == -8n) r |= 16n;
  return (r << 56n) ^ (u64(a) << 48n) ^ (u64(b) << 8n) ^ u64(c) ^ u64(e);
}
