// expect: 1706404886605856
// Loops whose unsigned counters wrap through zero on purpose (u32 and u64).
import { u32, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let n: u64 = 0n;
  let s: u64 = 0n;
  for (let i: u32 = 0xfffffff0n; i != 0x10n; i++) {
    n++;
    s += u64(i);
  }
  let m: u64 = 0n;
  for (let j: u64 = 0xfffffffffffffffdn; j != 3n; j++) m = m * 10n + (j & 7n);
  let c: u64 = 0n;
  let k: u32 = 5n;
  do {
    k -= 1n;
    c++;
  } while (k < 0x80000000n);
  return n ^ (s << 8n) ^ (m << 16n) ^ (c << 48n);
}
