// expect: 3391946413125966862
// UCS-2 to UTF-8 encoding into a byte buffer (1, 2 and 3-byte sequences), then decoded back.
import { u8, u16, u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { ucs2, zeroed, load8, load16, store8, store16 } from '../../../templates/rt/intrinsics.ts';

const SRC = ucs2('A\u00e9\u20ac\u7f16z\u07ff\u0800');
const UTF8 = zeroed(64n);
const BACK = zeroed(64n);

function encode(src: ptr, dst: ptr): u64 {
  let o: u64 = 0n;
  for (let i: u64 = 0n; load16(src + i * 2n) != 0n; i++) {
    const c: u16 = load16(src + i * 2n);
    if (c < 0x80n) {
      store8(dst + o, u8(c));
      o += 1n;
    } else if (c < 0x800n) {
      store8(dst + o, u8(0xc0n | (c >> 6n)));
      store8(dst + o + 1n, u8(0x80n | (c & 0x3fn)));
      o += 2n;
    } else {
      store8(dst + o, u8(0xe0n | (c >> 12n)));
      store8(dst + o + 1n, u8(0x80n | ((c >> 6n) & 0x3fn)));
      store8(dst + o + 2n, u8(0x80n | (c & 0x3fn)));
      o += 3n;
    }
  }
  return o;
}
function decode(src: ptr, n: u64, dst: ptr): u64 {
  let i: u64 = 0n;
  let k: u64 = 0n;
  while (i < n) {
    const b: u8 = load8(src + i);
    let c: u32 = 0n;
    if ((b & 0x80n) == 0n) {
      c = u32(b);
      i += 1n;
    } else if ((b & 0xe0n) == 0xc0n) {
      c = (u32(b & 0x1fn) << 6n) | u32(load8(src + i + 1n) & 0x3fn);
      i += 2n;
    } else {
      c = (u32(b & 0x0fn) << 12n) | (u32(load8(src + i + 1n) & 0x3fn) << 6n) | u32(load8(src + i + 2n) & 0x3fn);
      i += 3n;
    }
    store16(dst + k * 2n, u16(c));
    k++;
  }
  return k;
}

export function main(): u64 {
  const n: u64 = encode(SRC, UTF8);
  const k: u64 = decode(UTF8, n, BACK);
  let same: u64 = 1n;
  for (let i: u64 = 0n; i < k; i++) if (load16(BACK + i * 2n) != load16(SRC + i * 2n)) same = 0n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) h = h * 257n + u64(load8(UTF8 + i));
  return (same << 63n) ^ (n << 56n) ^ (k << 48n) ^ h;
}
