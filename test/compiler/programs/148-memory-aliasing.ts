// expect: 5269371529225093898
// Little-endian aliasing: a u64 store read back as u32/u16/u8 pieces, and narrow stores that
// change only their own bytes.
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load8, load16, load32, load64, store8, store16, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const M = zeroed(32n);

export function main(): u64 {
  let r: u64 = 0n;
  store64(M, 0x0123456789abcdefn);
  if (load32(M) == 0x89abcdefn && load32(M + 4n) == 0x01234567n) r |= 1n;
  if (load16(M) == 0xcdefn && load16(M + 6n) == 0x0123n) r |= 2n;
  if (load8(M) == 0xefn && load8(M + 7n) == 0x01n) r |= 4n;
  store8(M + 3n, u8(0xffn));
  if (load64(M) == 0x01234567ffabcdefn) r |= 8n;
  store16(M + 4n, u16(0xbeefn));
  if (load64(M) == 0x0123beefffabcdefn) r |= 16n;
  store32(M, u32(0n));
  if (load64(M) == 0x0123beef00000000n) r |= 32n;
  // neighbours untouched
  store64(M + 8n, 0xffffffffffffffffn);
  store64(M + 16n, 0xffffffffffffffffn);
  store8(M + 12n, u8(0n));
  store16(M + 18n, u16(0x1234n));
  if (load64(M + 8n) == 0xffffff00ffffffffn && load64(M + 16n) == 0xffffffff1234ffffn) r |= 64n;
  // zero-extension of loads: 0xff bytes read as 255, not -1
  if (load8(M + 8n) == 255n && u64(load8(M + 8n)) + 1n == 256n && u64(load32(M + 8n)) == 0xffffffffn) r |= 128n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 32n; i++) h = h * 257n + u64(load8(M + i));
  return (r << 56n) ^ h;
}
