// expect: 256844674
// u64 division is unsigned: values at and above 2^63 are large positives.
import { u64 } from '../../../templates/rt/types.ts';

function div(a: u64, b: u64): u64 {
  return a / b;
}

export function main(): u64 {
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if (div(max, 2n) == 0x7fffffffffffffffn) r |= 1n;
  if (div(max, max) == 1n) r |= 2n;
  if (div(0x8000000000000000n, 0x8000000000000001n) == 0n) r |= 4n;
  if (div(max, 0x100000000n) == 0xffffffffn) r |= 8n;
  if (div(0n, 7n) == 0n) r |= 16n;
  if (div(7n, 1n) == 7n) r |= 32n;
  if (div(max, 3n) == 0x5555555555555555n) r |= 64n;
  if (div(0x8000000000000000n, 0xffffffffn) == 0x80000000n) r |= 128n;
  return r * 1000000n + div(max, 10000000000000n);
}
