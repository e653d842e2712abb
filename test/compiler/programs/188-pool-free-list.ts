// expect: 11609876021465944064
// AllocatePool/FreePool over a zeroed() arena: blocks with a size header, a first-fit free
// list kept in address order, and coalescing of neighbours on free.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const Block = struct({ size: u64, next: ptr });
const ARENA = zeroed(8192n);
const HDR: u64 = 16n;
let freeList: ptr = 0n;

function init(): void {
  freeList = ARENA;
  store64(ARENA + Block.size, 8192n);
  store64(ARENA + Block.next, 0n);
}
function allocate(n: u64): ptr {
  const need: u64 = ((n + 15n) & ~15n) + HDR;
  let prev: ptr = 0n;
  let b: ptr = freeList;
  while (b != 0n) {
    const size: u64 = load64(b + Block.size);
    if (size >= need) {
      let rest: ptr = load64(b + Block.next);
      if (size - need >= 32n) {
        const tail: ptr = b + need;
        store64(tail + Block.size, size - need);
        store64(tail + Block.next, rest);
        rest = tail;
        store64(b + Block.size, need);
      }
      if (prev == 0n) freeList = rest;
      else store64(prev + Block.next, rest);
      return b + HDR;
    }
    prev = b;
    b = load64(b + Block.next);
  }
  return 0n;
}
function free(p: ptr): void {
  const b: ptr = p - HDR;
  let prev: ptr = 0n;
  let cur: ptr = freeList;
  while (cur != 0n && cur < b) {
    prev = cur;
    cur = load64(cur + Block.next);
  }
  store64(b + Block.next, cur);
  if (prev == 0n) freeList = b;
  else store64(prev + Block.next, b);
  // merge with the following block
  if (cur != 0n && b + load64(b + Block.size) == cur) {
    store64(b + Block.size, load64(b + Block.size) + load64(cur + Block.size));
    store64(b + Block.next, load64(cur + Block.next));
  }
  // merge with the preceding block
  if (prev != 0n && prev + load64(prev + Block.size) == b) {
    store64(prev + Block.size, load64(prev + Block.size) + load64(b + Block.size));
    store64(prev + Block.next, load64(b + Block.next));
  }
}
function freeBlocks(): u64 {
  let n: u64 = 0n;
  for (let b: ptr = freeList; b != 0n; b = load64(b + Block.next)) n++;
  return n;
}
function largest(): u64 {
  let m: u64 = 0n;
  for (let b: ptr = freeList; b != 0n; b = load64(b + Block.next)) if (load64(b + Block.size) > m) m = load64(b + Block.size);
  return m;
}

export function main(): u64 {
  init();
  const a: ptr = allocate(100n);
  const b: ptr = allocate(1000n);
  const c: ptr = allocate(10n);
  const d: ptr = allocate(3000n);
  const e: ptr = allocate(5000n);
  const eFailed: u64 = e == 0n ? 1n : 0n;
  let h: u64 = 0n;
  h = h * 10000n + (a - ARENA);
  h = h * 10000n + (b - ARENA);
  h = h * 10000n + (c - ARENA);
  h = h * 10000n + (d - ARENA);
  free(b);
  free(d);
  const f1: u64 = freeBlocks();
  free(c);
  const f2: u64 = freeBlocks();
  const l2: u64 = largest();
  free(a);
  const f3: u64 = freeBlocks();
  const l3: u64 = largest();
  return (h << 8n) ^ (eFailed << 63n) ^ (f1 << 60n) ^ (f2 << 56n) ^ (f3 << 52n) ^ (l2 << 24n) ^ l3;
}
