// expect: 13460027311070530066
// Classic loops: gcd, lcm, fibonacci modulo 2^64, integer powers.
import { u64, u32 } from '../../../templates/rt/types.ts';

function gcd(a: u64, b: u64): u64 {
  while (b != 0n) {
    const t: u64 = a % b;
    a = b;
    b = t;
  }
  return a;
}

function fib(n: u64): u64 {
  let a: u64 = 0n;
  let b: u64 = 1n;
  for (let i: u64 = 0n; i < n; i++) {
    const t: u64 = a + b;
    a = b;
    b = t;
  }
  return a;
}

function pow32(b: u32, e: u32): u32 {
  let r: u32 = 1n;
  while (e != 0n) {
    if ((e & 1n) != 0n) r *= b;
    b *= b;
    e >>= 1n;
  }
  return r;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (gcd(1071n, 462n) == 21n) r |= 1n;
  if (gcd(0xffffffffffffffffn, 0xfffffffffffffffen) == 1n) r |= 2n;
  const l: u64 = 1071n / gcd(1071n, 462n) * 462n;
  if (l == 23562n) r |= 4n;
  if (fib(93n) == 12200160415121876738n) r |= 8n;
  if (pow32(3n, 20n) == 3486784401n) r |= 16n;
  return (r << 58n) ^ fib(100n) ^ fib(300n) ^ u64(pow32(7n, 1000n));
}
