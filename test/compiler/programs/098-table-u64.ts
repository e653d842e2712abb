// expect: 15674617823281706708
// A table(8, …) of u64 values at the edges, read with load64 and as two u32 halves.
import { u64 } from '../../../templates/rt/types.ts';
import { table, load32, load64 } from '../../../templates/rt/intrinsics.ts';

const T = table(8, [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x100000000n, 0xfedcba9876543210n]);

export function main(): u64 {
  let r: u64 = 0n;
  if (load64(T) == 0n && load64(T + 8n) == 1n) r |= 1n;
  if (load64(T + 16n) == 0xffffffffffffffffn && load64(T + 24n) == 0x8000000000000000n) r |= 2n;
  if (load32(T + 32n) == 0n && load32(T + 36n) == 1n) r |= 4n;
  if (load32(T + 40n) == 0x76543210n && load32(T + 44n) == 0xfedcba98n) r |= 8n;
  let x: u64 = 0n;
  for (let i: u64 = 0n; i < 6n; i++) x = x * 0x100000001b3n ^ load64(T + i * 8n);
  return (r << 60n) ^ x;
}
