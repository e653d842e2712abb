// expect: 12691329845886889535
// Count leading and trailing zeros by loops, in u64 and u32, with 0 as a special case.
import { u32, u64 } from '../../../templates/rt/types.ts';

function clz64(x: u64): u64 {
  if (x == 0n) return 64n;
  let n: u64 = 0n;
  while ((x & 0x8000000000000000n) == 0n) {
    x <<= 1n;
    n++;
  }
  return n;
}
function ctz64(x: u64): u64 {
  if (x == 0n) return 64n;
  let n: u64 = 0n;
  while ((x & 1n) == 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}
function clz32(x: u32): u64 {
  let n: u64 = 0n;
  for (let b: u32 = 0x80000000n; b != 0n; b >>= 1n) {
    if ((x & b) != 0n) break;
    n++;
  }
  return n;
}
function log2(x: u64): u64 {
  return 63n - clz64(x);
}

export function main(): u64 {
  let h: u64 = 0n;
  h = h * 65n + clz64(0n);
  h = h * 65n + clz64(1n);
  h = h * 65n + clz64(0x8000000000000000n);
  h = h * 65n + clz64(0x100000000n);
  h = h * 65n + ctz64(0n);
  h = h * 65n + ctz64(0x8000000000000000n);
  h = h * 65n + ctz64(0x100000000n);
  h = h * 65n + ctz64(0xfffffffffffffff8n);
  h = h * 65n + clz32(0n);
  h = h * 65n + clz32(1n);
  h = h * 65n + clz32(0xffffffffn);
  let s: u64 = 0n;
  for (let i: u64 = 1n; i < 1000n; i += 7n) s += log2(i * i * i);
  return h ^ (s << 48n);
}
