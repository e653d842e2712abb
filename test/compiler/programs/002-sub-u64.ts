// expect: 13907115645025124358
// u64 subtraction wraps below zero: 0 - 1, 1 - 2^63, 2^32 - 2^32 - 1.
import { u64 } from '../../../templates/rt/types.ts';

function sub(a: u64, b: u64): u64 {
  return a - b;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (sub(0n, 1n) == 0xffffffffffffffffn) r |= 1n;
  if (sub(1n, 0x8000000000000000n) == 0x8000000000000001n) r |= 2n;
  if (sub(0x100000000n, 0x100000001n) == 0xffffffffffffffffn) r |= 4n;
  if (sub(0n, 0xffffffffffffffffn) == 1n) r |= 8n;
  if (sub(0x8000000000000000n, 1n) == 0x7fffffffffffffffn) r |= 16n;
  let z: u64 = 0n;
  z = z - 0x100000000n;
  if (z == 0xffffffff00000000n) r |= 32n;
  // the xor of a few raw differences
  const x: u64 = sub(3n, 10n) ^ sub(0x100000000n, 1n);
  return (r << 56n) ^ x;
}
