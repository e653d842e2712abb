// expect: 4611686018427396976
// Binary GCD (Stein's algorithm) with trailing-zero counts and shifts, checked against Euclid.
import { u64 } from '../../../templates/rt/types.ts';

function ctz(x: u64): u64 {
  let n: u64 = 0n;
  while ((x & 1n) == 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}
function stein(a: u64, b: u64): u64 {
  if (a == 0n) return b;
  if (b == 0n) return a;
  const k: u64 = ctz(a | b);
  a >>= ctz(a);
  do {
    b >>= ctz(b);
    if (a > b) {
      const t: u64 = a;
      a = b;
      b = t;
    }
    b -= a;
  } while (b != 0n);
  return a << k;
}
function euclid(a: u64, b: u64): u64 {
  while (b != 0n) {
    const t: u64 = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function main(): u64 {
  let bad: u64 = 0n;
  let s: u64 = 0n;
  let x: u64 = 0x123456789n;
  for (let i: u64 = 0n; i < 100n; i++) {
    x = x * 0x5851f42d4c957f2dn + 1n;
    const a: u64 = (x >> 20n) * 48n;
    const b: u64 = (x & 0xfffffn) * 36n;
    const g: u64 = stein(a, b);
    if (g != euclid(a, b)) bad++;
    s += g;
  }
  const top: u64 = stein(0x8000000000000000n, 0xc000000000000000n);
  return (bad << 56n) ^ s ^ top;
}
