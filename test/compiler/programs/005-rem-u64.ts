// expect: 8574866604922097927
// u64 remainder is unsigned.
import { u64 } from '../../../templates/rt/types.ts';

function rem(a: u64, b: u64): u64 {
  return a % b;
}

export function main(): u64 {
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if (rem(max, 10n) == 5n) r |= 1n;
  if (rem(max, 0x100000000n) == 0xffffffffn) r |= 2n;
  if (rem(0x8000000000000000n, 3n) == 2n) r |= 4n;
  if (rem(5n, max) == 5n) r |= 8n;
  if (rem(max, max) == 0n) r |= 16n;
  if (rem(max, 0x8000000000000000n) == 0x7fffffffffffffffn) r |= 32n;
  if (rem(0n, 9n) == 0n) r |= 64n;
  let acc: u64 = 0n;
  for (let d: u64 = 1n; d <= 20n; d++) acc = acc * 31n + rem(max, d);
  return (r << 48n) ^ acc;
}
