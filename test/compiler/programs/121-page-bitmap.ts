// expect: 18446732556783004675
// A page allocator over a bitmap of u64 words: first-fit runs, frees, fragmentation.
import { u64 } from '../../../templates/rt/types.ts';
import { zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const PAGES: u64 = 256n;
const MAP = zeroed(32n);

function isSet(i: u64): boolean {
  return ((load64(MAP + (i / 64n) * 8n) >> (i % 64n)) & 1n) != 0n;
}
function setBit(i: u64, on: u64): void {
  const w: u64 = MAP + (i / 64n) * 8n;
  const m: u64 = 1n << (i % 64n);
  if (on != 0n) store64(w, load64(w) | m);
  else store64(w, load64(w) & ~m);
}
function allocPages(n: u64): u64 {
  let run: u64 = 0n;
  for (let i: u64 = 0n; i < PAGES; i++) {
    if (isSet(i)) {
      run = 0n;
      continue;
    }
    run++;
    if (run == n) {
      const start: u64 = i + 1n - n;
      for (let k: u64 = start; k <= i; k++) setBit(k, 1n);
      return start;
    }
  }
  return 0xffffffffffffffffn;
}
function freePages(start: u64, n: u64): void {
  for (let k: u64 = start; k < start + n; k++) setBit(k, 0n);
}

export function main(): u64 {
  let h: u64 = 0n;
  const a: u64 = allocPages(10n);
  const b: u64 = allocPages(60n);
  const c: u64 = allocPages(1n);
  freePages(a, 10n);
  const d: u64 = allocPages(5n);
  const e: u64 = allocPages(6n);
  const f: u64 = allocPages(200n);
  freePages(b + 3n, 64n - 3n);
  const g: u64 = allocPages(64n);
  h = h * 257n + a;
  h = h * 257n + b;
  h = h * 257n + c;
  h = h * 257n + d;
  h = h * 257n + e;
  h = h * 257n + f;
  h = h * 257n + g;
  return h ^ load64(MAP) ^ (load64(MAP + 8n) << 1n) ^ load64(MAP + 16n) ^ load64(MAP + 24n);
}
