// expect: 9226609035903174500
// A table(2, …) walked with load16 at 2-byte steps, and read back byte by byte (little-endian).
import { u64 } from '../../../templates/rt/types.ts';
import { table, load8, load16 } from '../../../templates/rt/intrinsics.ts';

const T = table(2, [0n, 1n, 0x7fffn, 0x8000n, 0xffffn, 0x1234n, 0xabcdn]);

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 7n; i++) s = s * 65537n + u64(load16(T + i * 2n));
  let b: u64 = 0n;
  for (let i: u64 = 0n; i < 14n; i++) b = b * 3n + u64(load8(T + i));
  let r: u64 = 0n;
  if (load8(T + 10n) == 0x34n && load8(T + 11n) == 0x12n) r |= 1n;
  return (s ^ b) + r;
}
