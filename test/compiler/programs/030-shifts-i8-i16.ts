// expect: -42657019575905
// i8 and i16 shifts: >> is arithmetic at the narrow width, << wraps into the sign bit.
import { i8, i16, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let r: i64 = 0n;
  const a: i8 = -128n;
  if (a >> 1n == -64n) r |= 1n;
  if (a >> 7n == -1n) r |= 2n;
  if (a >> 8n == -1n) r |= 4n;
  if (a >> 63n == -1n) r |= 8n;
  const p: i8 = 64n;
  if (p << 1n == -128n) r |= 16n;
  if (p << 2n == 0n) r |= 32n;
  if (p >> 7n == 0n) r |= 64n;
  const b: i16 = -32768n;
  if (b >> 15n == -1n) r |= 128n;
  if (b >> 3n == -4096n) r |= 256n;
  const q: i16 = 0x4000n;
  if (q << 1n == -32768n) r |= 512n;
  if (q << 2n == 0n) r |= 1024n;
  const c: i16 = 0x1234n;
  if (c << 4n == 0x2340n) r |= 2048n;
  let s: i64 = 0n;
  for (let n: i8 = 0n; n < 12n; n++) s = s * 3n + i64(i8(-77n) >> n) + i64(i16(-20000n) >> i16(n)) + i64(i8(5n) << n);
  return s * 10000n + r;
}
