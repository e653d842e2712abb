// expect: 1197835309036671904
// A singly linked list in zeroed() memory: push, insert sorted, remove, reverse, walk.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const Node = struct({ next: ptr, value: u64 });
const NODES = zeroed(64n * 16n);
let nextFree: u64 = 0n;
let head: ptr = 0n;

function newNode(v: u64): ptr {
  const p: ptr = NODES + nextFree * Node.$size;
  nextFree++;
  store64(p + Node.value, v);
  store64(p + Node.next, 0n);
  return p;
}

function insertSorted(v: u64): void {
  const n: ptr = newNode(v);
  if (head == 0n || load64(head + Node.value) >= v) {
    store64(n + Node.next, head);
    head = n;
    return;
  }
  let cur: ptr = head;
  while (load64(cur + Node.next) != 0n && load64(load64(cur + Node.next) + Node.value) < v) cur = load64(cur + Node.next);
  store64(n + Node.next, load64(cur + Node.next));
  store64(cur + Node.next, n);
}

function remove(v: u64): boolean {
  let prev: ptr = 0n;
  let cur: ptr = head;
  while (cur != 0n) {
    if (load64(cur + Node.value) == v) {
      if (prev == 0n) head = load64(cur + Node.next);
      else store64(prev + Node.next, load64(cur + Node.next));
      return true;
    }
    prev = cur;
    cur = load64(cur + Node.next);
  }
  return false;
}

function reverse(): void {
  let prev: ptr = 0n;
  let cur: ptr = head;
  while (cur != 0n) {
    const nx: ptr = load64(cur + Node.next);
    store64(cur + Node.next, prev);
    prev = cur;
    cur = nx;
  }
  head = prev;
}

function digest(): u64 {
  let h: u64 = 0n;
  for (let p: ptr = head; p != 0n; p = load64(p + Node.next)) h = h * 100n + load64(p + Node.value);
  return h;
}

export function main(): u64 {
  let v: u64 = 17n;
  for (let i: u64 = 0n; i < 9n; i++) {
    insertSorted(v);
    v = (v * 37n + 11n) % 97n;
  }
  const sorted: u64 = digest();
  let removed: u64 = 0n;
  if (remove(17n)) removed++;
  if (remove(1000n)) removed += 10n;
  reverse();
  return sorted ^ (digest() << 1n) ^ (removed << 60n);
}
