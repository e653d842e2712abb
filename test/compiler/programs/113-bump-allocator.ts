// expect: 3458943738155577520
// A bump allocator over a zeroed() pool: aligned allocations, exhaustion, and use of the blocks.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const POOL = zeroed(4096n);
const SIZE: u64 = 4096n;
let used: u64 = 0n;
let fails: u64 = 0n;

function alloc(n: u64, align: u64): ptr {
  const at: u64 = (used + align - 1n) & ~(align - 1n);
  if (at + n > SIZE) {
    fails++;
    return 0n;
  }
  used = at + n;
  return POOL + at;
}

export function main(): u64 {
  let offs: u64 = 0n;
  let r: u64 = 0n;
  const a: ptr = alloc(3n, 1n);
  const b: ptr = alloc(8n, 8n);
  const c: ptr = alloc(1n, 16n);
  const d: ptr = alloc(100n, 64n);
  if (b - POOL == 8n && c - POOL == 16n && d - POOL == 64n && a == POOL) r |= 1n;
  // fill the rest with 24-byte blocks linked through their first word
  let prev: ptr = 0n;
  let count: u64 = 0n;
  while (true) {
    const p: ptr = alloc(24n, 8n);
    if (p == 0n) break;
    store64(p, prev);
    store64(p + 8n, count * count);
    prev = p;
    count++;
  }
  // walk the chain back, summing payloads
  let sum: u64 = 0n;
  let hops: u64 = 0n;
  while (prev != 0n) {
    sum += load64(prev + 8n);
    offs ^= prev - POOL;
    prev = load64(prev);
    hops++;
  }
  if (hops == count && fails == 1n) r |= 2n;
  return (r << 60n) ^ (count << 40n) ^ (sum << 8n) ^ offs ^ (used << 20n);
}
