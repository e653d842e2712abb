// expect: 1099511622826
// u32 arithmetic wraps at 2^32; the upper half of the register must not leak.
import { u32, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const max: u32 = 0xffffffffn;
  let r: u64 = 0n;
  if (max + 1n == 0n) r |= 1n;
  const a: u32 = 0x80000000n;
  if (a + a == 0n) r |= 2n;
  if (0n - u32(1n) == max) r |= 4n;
  const b: u32 = 0x10000n;
  if (b * b == 0n) r |= 8n;
  if (max * max == 1n) r |= 16n;
  if (max / 2n == 0x7fffffffn) r |= 32n;
  if (max % 10n == 5n) r |= 64n;
  let c: u32 = 3000000000n;
  c = c + c;
  if (c == 1705032704n) r |= 128n;
  // the wrapped sum widened to u64 stays below 2^32
  let s: u32 = 0n;
  for (let i: u32 = 0n; i < 100n; i++) s = s + 0x7fffffffn * i;
  return (r << 32n) | u64(s);
}
