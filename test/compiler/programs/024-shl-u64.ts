// expect: 18366027677302342821
// u64 << by 0, 1, 31, 32, 63: bits shifted past bit 63 are lost.
import { u64 } from '../../../templates/rt/types.ts';

function shl(a: u64, n: u64): u64 {
  return a << n;
}

export function main(): u64 {
  const x: u64 = 0x8000000180000001n;
  let r: u64 = 0n;
  if (shl(x, 0n) == x) r |= 1n;
  if (shl(x, 1n) == 0x0000000300000002n) r |= 2n;
  if (shl(x, 31n) == 0xc000000080000000n) r |= 4n;
  if (shl(x, 32n) == 0x8000000100000000n) r |= 8n;
  if (shl(x, 63n) == 0x8000000000000000n) r |= 16n;
  if (shl(1n, 63n) == 0x8000000000000000n) r |= 32n;
  if (shl(0xffffffffffffffffn, 32n) == 0xffffffff00000000n) r |= 64n;
  let h: u64 = 0n;
  for (let n: u64 = 0n; n < 64n; n++) h = h ^ shl(0x123456789abcdefn, n);
  return (r << 57n) ^ h;
}
