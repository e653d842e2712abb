// expect: 45317063222296480
// & | ^ on u64 across both 32-bit halves.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const a: u64 = 0xf0f0f0f0f0f0f0f0n;
  const b: u64 = 0xff00ff00ff00ff00n;
  const max: u64 = 0xffffffffffffffffn;
  let r: u64 = 0n;
  if ((a & b) == 0xf000f000f000f000n) r |= 1n;
  if ((a | b) == 0xfff0fff0fff0fff0n) r |= 2n;
  if ((a ^ b) == 0x0ff00ff00ff00ff0n) r |= 4n;
  if ((a ^ a) == 0n) r |= 8n;
  if ((a & max) == a) r |= 16n;
  if ((a | 0n) == a) r |= 32n;
  if ((max ^ 0x8000000000000000n) == 0x7fffffffffffffffn) r |= 64n;
  const k: u64 = 0x100000000n;
  if ((k & 0xffffffffn) == 0n) r |= 128n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 64n; i++) h = (h ^ (a >> i)) | (b & (h << 1n));
  return (r << 56n) ^ h;
}
