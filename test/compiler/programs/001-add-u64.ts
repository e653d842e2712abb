// expect: 1279
// u64 addition wraps at 2^64: max + 1, max + max, 2^63 + 2^63, carries across 2^32.
import { u64 } from '../../../templates/rt/types.ts';

function add(a: u64, b: u64): u64 {
  return a + b;
}

export function main(): u64 {
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if (add(max, 1n) == 0n) r |= 1n;
  if (add(max, max) == 0xfffffffffffffffen) r |= 2n;
  if (add(0x8000000000000000n, 0x8000000000000000n) == 0n) r |= 4n;
  if (add(0xffffffffn, 1n) == 0x100000000n) r |= 8n;
  if (add(0n, 0n) == 0n) r |= 16n;
  if (max + 2n == 1n) r |= 32n;
  let s: u64 = 0x7fffffffffffffffn;
  s = s + 1n;
  if (s == 0x8000000000000000n) r |= 64n;
  if (add(0x8000000000000001n, 0x8000000000000000n) == 1n) r |= 128n;
  // 4 << 8 plus the check bits
  return r + (add(max, 5n) << 8n);
}
