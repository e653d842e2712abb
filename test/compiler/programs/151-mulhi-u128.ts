// expect: 15744615963405844692
// 64 x 64 -> 128-bit multiplication from 32-bit halves, and 128-bit addition with carry
// detected by unsigned comparison.
import { u64 } from '../../../templates/rt/types.ts';
import { zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const OUT = zeroed(16n);

function mul128(a: u64, b: u64): void {
  const a0: u64 = a & 0xffffffffn;
  const a1: u64 = a >> 32n;
  const b0: u64 = b & 0xffffffffn;
  const b1: u64 = b >> 32n;
  const p00: u64 = a0 * b0;
  const p01: u64 = a0 * b1;
  const p10: u64 = a1 * b0;
  const p11: u64 = a1 * b1;
  const mid: u64 = (p00 >> 32n) + (p01 & 0xffffffffn) + (p10 & 0xffffffffn);
  store64(OUT, (mid << 32n) | (p00 & 0xffffffffn));
  store64(OUT + 8n, p11 + (p01 >> 32n) + (p10 >> 32n) + (mid >> 32n));
}

function add128(lo1: u64, hi1: u64, lo2: u64, hi2: u64): void {
  const lo: u64 = lo1 + lo2;
  const carry: u64 = lo < lo1 ? 1n : 0n;
  store64(OUT, lo);
  store64(OUT + 8n, hi1 + hi2 + carry);
}

export function main(): u64 {
  let r: u64 = 0n;
  mul128(0xffffffffffffffffn, 0xffffffffffffffffn);
  if (load64(OUT) == 1n && load64(OUT + 8n) == 0xfffffffffffffffen) r |= 1n;
  mul128(0x100000000n, 0x100000000n);
  if (load64(OUT) == 0n && load64(OUT + 8n) == 1n) r |= 2n;
  mul128(0x8000000000000000n, 2n);
  if (load64(OUT) == 0n && load64(OUT + 8n) == 1n) r |= 4n;
  add128(0xffffffffffffffffn, 0n, 1n, 0n);
  if (load64(OUT) == 0n && load64(OUT + 8n) == 1n) r |= 8n;
  add128(0x8000000000000000n, 5n, 0x7fffffffffffffffn, 6n);
  if (load64(OUT) == 0xffffffffffffffffn && load64(OUT + 8n) == 11n) r |= 16n;
  let h: u64 = 0n;
  let x: u64 = 0x9e3779b97f4a7c15n;
  for (let i: u64 = 0n; i < 100n; i++) {
    x = x * 0xd1342543de82ef95n + 1n;
    mul128(x, x ^ 0xdeadbeefcafebaben);
    h = h ^ load64(OUT + 8n) ^ (load64(OUT) >> 1n);
  }
  return (r << 59n) ^ h;
}
