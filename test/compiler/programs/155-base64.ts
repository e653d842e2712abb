// expect: 17589887266388556670
// Base64 encoding of ascii text into a buffer, with '=' padding, checked and hashed.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, zeroed, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const ALPHABET = ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const IN = ascii('Many hands make light work.');
const OUT = zeroed(64n);

function encode(src: ptr, n: u64, dst: ptr): u64 {
  let o: u64 = 0n;
  for (let i: u64 = 0n; i < n; i += 3n) {
    const b0: u64 = u64(load8(src + i));
    const b1: u64 = i + 1n < n ? u64(load8(src + i + 1n)) : 0n;
    const b2: u64 = i + 2n < n ? u64(load8(src + i + 2n)) : 0n;
    const w: u64 = (b0 << 16n) | (b1 << 8n) | b2;
    store8(dst + o, load8(ALPHABET + ((w >> 18n) & 63n)));
    store8(dst + o + 1n, load8(ALPHABET + ((w >> 12n) & 63n)));
    store8(dst + o + 2n, i + 1n < n ? load8(ALPHABET + ((w >> 6n) & 63n)) : u8(61n));
    store8(dst + o + 3n, i + 2n < n ? load8(ALPHABET + (w & 63n)) : u8(61n));
    o += 4n;
  }
  store8(dst + o, u8(0n));
  return o;
}

export function main(): u64 {
  const a: u64 = encode(IN, 27n, OUT);
  let r: u64 = 0n;
  // "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu"
  if (a == 36n && load8(OUT) == 84n && load8(OUT + 1n) == 87n && load8(OUT + 35n) == 117n) r |= 1n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < a; i++) h = h * 67n + u64(load8(OUT + i));
  const b: u64 = encode(IN, 1n, OUT);
  // "TQ=="
  if (b == 4n && load8(OUT + 2n) == 61n && load8(OUT + 3n) == 61n && load8(OUT + 1n) == 81n) r |= 2n;
  const c: u64 = encode(IN, 2n, OUT);
  // "TWE="
  if (c == 4n && load8(OUT + 2n) == 69n && load8(OUT + 3n) == 61n) r |= 4n;
  return (r << 60n) ^ h;
}
