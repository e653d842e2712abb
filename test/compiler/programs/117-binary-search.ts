// expect: -901191069202
// Binary search in a sorted u64 table, with keys at and beyond both ends.
import { u64, i64 } from '../../../templates/rt/types.ts';
import { table, load64 } from '../../../templates/rt/intrinsics.ts';

const KEYS = table(8, [1n, 3n, 7n, 15n, 31n, 63n, 127n, 255n, 0x100000000n, 0x8000000000000000n, 0xfffffffffffffffen]);
const N: u64 = 11n;

function find(k: u64): i64 {
  let lo: u64 = 0n;
  let hi: u64 = N;
  while (lo < hi) {
    const mid: u64 = lo + (hi - lo) / 2n;
    const v: u64 = load64(KEYS + mid * 8n);
    if (v == k) return i64(mid);
    if (v < k) lo = mid + 1n;
    else hi = mid;
  }
  return -1n - i64(lo);
}

export function main(): i64 {
  let s: i64 = 0n;
  s = s * 100n + find(1n);
  s = s * 100n + find(0n);
  s = s * 100n + find(0xfffffffffffffffen);
  s = s * 100n + find(0xffffffffffffffffn);
  s = s * 100n + find(0x8000000000000000n);
  s = s * 100n + find(64n);
  s = s * 100n + find(0x100000000n);
  s = s * 100n + find(2n);
  return s;
}
