// expect: 1095216660481
// u64 multiplication keeps the low 64 bits of the product.
import { u64 } from '../../../templates/rt/types.ts';

function mul(a: u64, b: u64): u64 {
  return a * b;
}

export function main(): u64 {
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if (mul(0x100000000n, 0x100000000n) == 0n) r |= 1n;
  if (mul(max, max) == 1n) r |= 2n;
  if (mul(max, 2n) == 0xfffffffffffffffen) r |= 4n;
  if (mul(0x8000000000000000n, 2n) == 0n) r |= 8n;
  if (mul(0xffffffffn, 0xffffffffn) == 0xfffffffe00000001n) r |= 16n;
  if (mul(0x123456789n, 0n) == 0n) r |= 32n;
  if (mul(1n, max) == max) r |= 64n;
  if (mul(0x100000001n, 0x100000001n) == 0x200000001n) r |= 128n;
  // an odd constant times its wrapped inverse
  const p: u64 = mul(0x9e3779b97f4a7c15n, 0xf1de83e19937733dn);
  return (r << 32n) ^ p;
}
