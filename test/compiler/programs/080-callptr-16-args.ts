// expect: 13085707959084386083
// callptr with 16 arguments, and 12 arguments, each identified by position.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function sixteen(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64,
                 i: u64, j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64): u64 {
  return a ^ (b << 4n) ^ (c << 8n) ^ (d << 12n) ^ (e << 16n) ^ (f << 20n) ^ (g << 24n) ^ (h << 28n) ^
    (i << 32n) ^ (j << 36n) ^ (k << 40n) ^ (l << 44n) ^ (m << 48n) ^ (n << 52n) ^ (o << 56n) ^ (p << 60n);
}
function twelve(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64, j: u64, k: u64, l: u64): u64 {
  return a + b * 2n + c * 3n + d * 4n + e * 5n + f * 6n + g * 7n + h * 8n + i * 9n + j * 10n + k * 11n + l * 12n;
}

export function main(): u64 {
  const p16: ptr = fnaddr(sixteen);
  const p12: ptr = fnaddr(twelve);
  let v: u64 = 0n;
  let w: u64 = 1n;
  let x: u64 = 2n;
  const y: u64 = 3n;
  v = callptr(p16, w, x, y, 4n + w, w + y + 1n, w + 5n, y + y + w, x * 4n, 9n + v, 10n + v, 11n + v, 12n + v, 13n + v, 14n + v, 15n + v, x);
  w = callptr(p12, v, v, v, v, v, v, v, v, v, v, v, 0xffffffffffffffffn + v);
  return v ^ w;
}
