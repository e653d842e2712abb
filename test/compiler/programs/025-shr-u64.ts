// expect: 268374505794593792
// u64 >> is logical: no sign bit is copied in, even with bit 63 set.
import { u64 } from '../../../templates/rt/types.ts';

function shr(a: u64, n: u64): u64 {
  return a >> n;
}

export function main(): u64 {
  const x: u64 = 0x8000000180000001n;
  let r: u64 = 0n;
  if (shr(x, 0n) == x) r |= 1n;
  if (shr(x, 1n) == 0x40000000c0000000n) r |= 2n;
  if (shr(x, 31n) == 0x0000000100000003n) r |= 4n;
  if (shr(x, 32n) == 0x80000001n) r |= 8n;
  if (shr(x, 63n) == 1n) r |= 16n;
  if (shr(0xffffffffffffffffn, 63n) == 1n) r |= 32n;
  if (shr(0x7fffffffffffffffn, 62n) == 1n) r |= 64n;
  let h: u64 = 0n;
  for (let n: u64 = 0n; n < 64n; n++) h = h + shr(0xfedcba9876543210n, n);
  return (r << 57n) ^ h;
}
