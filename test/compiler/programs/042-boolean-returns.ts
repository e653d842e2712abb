// expect: 3127052
// Functions returning boolean, used in conditions and combined.
import { u32, u64 } from '../../../templates/rt/types.ts';

function isPow2(x: u64): boolean {
  return x != 0n && (x & (x - 1n)) == 0n;
}
function inRange(x: u32, lo: u32, hi: u32): boolean {
  return x >= lo && x <= hi;
}
function isAlpha(c: u32): boolean {
  return inRange(c, 65n, 90n) || inRange(c, 97n, 122n);
}

export function main(): u64 {
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < 70n; i++) if (isPow2(i)) n += i;
  if (isPow2(0x8000000000000000n)) n += 1000n;
  if (!isPow2(0xffffffffffffffffn)) n += 2000n;
  let a: u64 = 0n;
  for (let c: u32 = 0n; c < 128n; c++) if (isAlpha(c)) a++;
  return n * 1000n + a;
}
