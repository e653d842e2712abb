// expect: 7260234626905369208
// Formatting u64 values as hex and decimal CHAR16 strings into a buffer, as a console would.
import { u16, u64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, load16, store16 } from '../../../templates/rt/intrinsics.ts';

const OUT = zeroed(256n);

function hexDigit(n: u64): u16 {
  return n < 10n ? u16(n) + 48n : u16(n) + 55n;
}
function fmtHex(p: ptr, v: u64): u64 {
  for (let i: u64 = 0n; i < 16n; i++) store16(p + i * 2n, hexDigit((v >> (60n - i * 4n)) & 15n));
  store16(p + 32n, u16(0n));
  return 16n;
}
function fmtDec(p: ptr, v: u64): u64 {
  let n: u64 = 0n;
  let t: u64 = v;
  do {
    n++;
    t /= 10n;
  } while (t != 0n);
  for (let i: u64 = n; i > 0n; i--) {
    store16(p + (i - 1n) * 2n, u16(v % 10n) + 48n);
    v /= 10n;
  }
  store16(p + n * 2n, u16(0n));
  return n;
}
function hash(p: ptr): u64 {
  let h: u64 = 0n;
  for (let i: u64 = 0n; load16(p + i * 2n) != 0n; i++) h = h * 37n + u64(load16(p + i * 2n));
  return h;
}

export function main(): u64 {
  let h: u64 = 0n;
  let lens: u64 = 0n;
  lens = lens * 100n + fmtHex(OUT, 0xdeadbeef00c0ffeen);
  h ^= hash(OUT);
  lens = lens * 100n + fmtDec(OUT, 0xffffffffffffffffn);
  h ^= hash(OUT) << 1n;
  lens = lens * 100n + fmtDec(OUT, 0n);
  h ^= hash(OUT) << 2n;
  lens = lens * 100n + fmtDec(OUT, 9223372036854775808n);
  h ^= hash(OUT) << 3n;
  let r: u64 = 0n;
  fmtHex(OUT, 0xa5n);
  if (load16(OUT + 28n) == 65n && load16(OUT + 30n) == 53n && load16(OUT) == 48n) r |= 1n;
  return (r << 63n) ^ h ^ lens;
}
