// expect: 4040946920915403482
// A binary min-heap of u64 keys in zeroed memory (a timer queue): push, pop in order.
import { u64 } from '../../../templates/rt/types.ts';
import { zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const HEAP = zeroed(8n * 128n);
let size: u64 = 0n;

function at(i: u64): u64 {
  return load64(HEAP + i * 8n);
}
function set(i: u64, v: u64): void {
  store64(HEAP + i * 8n, v);
}
function push(v: u64): void {
  let i: u64 = size;
  size++;
  set(i, v);
  while (i > 0n) {
    const parent: u64 = (i - 1n) / 2n;
    if (at(parent) <= at(i)) break;
    const t: u64 = at(parent);
    set(parent, at(i));
    set(i, t);
    i = parent;
  }
}
function pop(): u64 {
  const top: u64 = at(0n);
  size--;
  set(0n, at(size));
  let i: u64 = 0n;
  while (true) {
    const l: u64 = 2n * i + 1n;
    const r: u64 = l + 1n;
    let m: u64 = i;
    if (l < size && at(l) < at(m)) m = l;
    if (r < size && at(r) < at(m)) m = r;
    if (m == i) break;
    const t: u64 = at(m);
    set(m, at(i));
    set(i, t);
    i = m;
  }
  return top;
}

export function main(): u64 {
  let x: u64 = 0x2545f4914f6cdd1dn;
  for (let i: u64 = 0n; i < 100n; i++) {
    x ^= x << 13n;
    x ^= x >> 7n;
    x ^= x << 17n;
    push(x);
  }
  push(0xffffffffffffffffn);
  push(0n);
  let prev: u64 = 0n;
  let bad: u64 = 0n;
  let h: u64 = 0n;
  let n: u64 = 0n;
  while (size > 0n) {
    const v: u64 = pop();
    if (v < prev) bad++;
    prev = v;
    h = h * 3n + (v >> 40n);
    n++;
  }
  return (bad << 60n) ^ (n << 48n) ^ h ^ prev;
}
