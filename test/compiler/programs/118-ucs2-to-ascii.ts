// expect: 14805675603670944689
// Converting a CHAR16 string to ASCII into a buffer ('?' for non-ASCII), and back to UCS-2.
import { u8, u16, u64, type ptr } from '../../../templates/rt/types.ts';
import { ucs2, zeroed, load8, load16, store8, store16 } from '../../../templates/rt/intrinsics.ts';

const WIDE = ucs2('Boot\u00e40001 \u2603 ok');
const OUT = zeroed(64n);
const BACK = zeroed(128n);

function narrow(src: ptr, dst: ptr): u64 {
  let i: u64 = 0n;
  while (true) {
    const c: u16 = load16(src + i * 2n);
    if (c == 0n) break;
    store8(dst + i, c < 0x80n ? u8(c) : u8(63n));
    i++;
  }
  store8(dst + i, u8(0n));
  return i;
}

function widen(src: ptr, dst: ptr): u64 {
  let i: u64 = 0n;
  do {
    store16(dst + i * 2n, u16(load8(src + i)));
    i++;
  } while (load8(src + i - 1n) != 0n);
  return i;
}

export function main(): u64 {
  const n: u64 = narrow(WIDE, OUT);
  const m: u64 = widen(OUT, BACK);
  let h: u64 = 0n;
  for (let i: u64 = 0n; i <= n; i++) h = h * 131n + u64(load8(OUT + i));
  let q: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) if (load16(BACK + i * 2n) == 63n) q++;
  return (n << 56n) ^ (m << 48n) ^ (q << 40n) ^ h;
}
