// expect: 8792341315441
// u32 shifts: << wraps to 32 bits, >> is logical; counts 31, 32, 33, 63 (taken modulo 64).
import { u32, u64 } from '../../../templates/rt/types.ts';

function shl(a: u32, n: u32): u32 {
  return a << n;
}
function shr(a: u32, n: u32): u32 {
  return a >> n;
}

export function main(): u64 {
  const x: u32 = 0x80000001n;
  let r: u64 = 0n;
  if (shl(x, 0n) == x && shr(x, 0n) == x) r |= 1n;
  if (shl(x, 1n) == 2n) r |= 2n;
  if (shl(x, 31n) == 0x80000000n) r |= 4n;
  if (shl(x, 32n) == 0n) r |= 8n;
  if (shl(x, 33n) == 0n) r |= 16n;
  if (shr(x, 31n) == 1n) r |= 32n;
  if (shr(x, 32n) == 0n) r |= 64n;
  if (shr(x, 63n) == 0n) r |= 128n;
  if (shl(0xffffffffn, 16n) == 0xffff0000n) r |= 256n;
  if (shr(0xffffffffn, 16n) == 0xffffn) r |= 512n;
  // counts of 64 and above wrap around to 0, 1, 31
  if (shl(x, 64n) == x && shl(x, 65n) == 2n && shr(x, 95n) == 1n) r |= 1024n;
  let h: u32 = 0n;
  for (let n: u32 = 0n; n < 40n; n++) h = h ^ shl(0x9e3779b9n, n) ^ shr(0x7f4a7c15n, n);
  return (r << 32n) | u64(h);
}
