// expect: 6249765445951774464
// Shift counts of 64 and above are taken modulo 64, in u64 and i64.
import { u64, i64 } from '../../../templates/rt/types.ts';

function shl(a: u64, n: u64): u64 {
  return a << n;
}
function shr(a: u64, n: u64): u64 {
  return a >> n;
}
function sar(a: i64, n: i64): i64 {
  return a >> n;
}

export function main(): u64 {
  const x: u64 = 0x8000000000000003n;
  let r: u64 = 0n;
  if (shl(x, 64n) == x) r |= 1n;
  if (shl(x, 65n) == 6n) r |= 2n;
  if (shr(x, 64n) == x) r |= 4n;
  if (shr(x, 127n) == 1n) r |= 8n;
  if (shl(x, 128n) == x) r |= 16n;
  if (sar(-8n, 64n) == -8n) r |= 32n;
  if (sar(-8n, 65n) == -4n) r |= 64n;
  if (sar(-8n, 127n) == -1n) r |= 128n;
  if (shr(x, 0xffffffffffffffffn) == 1n) r |= 256n;
  if (shl(1n, 0xffffffffffffffc1n) == 2n) r |= 512n;
  // variable counts from 60 to 70
  let h: u64 = 0n;
  for (let n: u64 = 60n; n <= 70n; n++) h = (h << 5n) ^ shl(0xabcn, n) ^ shr(0xabc0000000000000n, n);
  return (r << 50n) ^ h;
}
