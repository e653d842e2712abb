// expect: 6504154303429956433
// Modular exponentiation with a 64-bit modulus, using add-and-double mulmod (no 128-bit type).
import { u64 } from '../../../templates/rt/types.ts';

function addmod(a: u64, b: u64, m: u64): u64 {
  // a, b < m; a + b may wrap past 2^64
  const s: u64 = a + b;
  return s < a || s >= m ? s - m : s;
}
function mulmod(a: u64, b: u64, m: u64): u64 {
  let r: u64 = 0n;
  a %= m;
  while (b != 0n) {
    if ((b & 1n) != 0n) r = addmod(r, a, m);
    a = addmod(a, a, m);
    b >>= 1n;
  }
  return r;
}
function powmod(b: u64, e: u64, m: u64): u64 {
  let r: u64 = 1n % m;
  b %= m;
  while (e != 0n) {
    if ((e & 1n) != 0n) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e >>= 1n;
  }
  return r;
}

export function main(): u64 {
  const p: u64 = 0xffffffffffffffc5n; // the largest prime below 2^64
  let r: u64 = 0n;
  // Fermat: a^(p-1) == 1 mod p
  if (powmod(2n, p - 1n, p) == 1n && powmod(0x123456789n, p - 1n, p) == 1n) r |= 1n;
  if (powmod(3n, 200n, 1000000007n) == 136318165n) r |= 2n;
  const x: u64 = powmod(0xdeadbeefn, 0x1234567n, p);
  const y: u64 = mulmod(0xfffffffffffffff0n, 0xfffffffffffffff0n, p);
  return (r << 62n) ^ x ^ (y << 1n);
}
