// expect: 360998135179696645
// Building 4-level x86-64 style page tables in zeroed() memory (entries store table offsets,
// not addresses, so the result does not depend on where the pool is) and translating.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const POOL = zeroed(4096n * 8n);
const PRESENT: u64 = 1n;
const WRITE: u64 = 2n;
const HUGE: u64 = 0x80n;
let tables: u64 = 1n;

function tbl(off: u64): ptr {
  return POOL + off;
}
function entry(t: u64, index: u64): ptr {
  return tbl(t) + index * 8n;
}
function nextLevel(t: u64, index: u64): u64 {
  const e: u64 = load64(entry(t, index));
  if ((e & PRESENT) != 0n) return e & 0x000ffffffffff000n;
  const off: u64 = tables * 4096n;
  tables++;
  store64(entry(t, index), off | PRESENT | WRITE);
  return off;
}
function map2M(va: u64, pa: u64, flags: u64): void {
  const l3: u64 = nextLevel(0n, (va >> 39n) & 511n);
  const l2: u64 = nextLevel(l3, (va >> 30n) & 511n);
  store64(entry(l2, (va >> 21n) & 511n), (pa & ~0x1fffffn) | flags | HUGE | PRESENT);
}
function translate(va: u64): u64 {
  const e4: u64 = load64(entry(0n, (va >> 39n) & 511n));
  if ((e4 & PRESENT) == 0n) return 0xffffffffffffffffn;
  const e3: u64 = load64(entry(e4 & 0x000ffffffffff000n, (va >> 30n) & 511n));
  if ((e3 & PRESENT) == 0n) return 0xffffffffffffffffn;
  const e2: u64 = load64(entry(e3 & 0x000ffffffffff000n, (va >> 21n) & 511n));
  if ((e2 & PRESENT) == 0n) return 0xffffffffffffffffn;
  return (e2 & 0x000fffffffe00000n) | (va & 0x1fffffn);
}

export function main(): u64 {
  // identity-map the first 1 GiB, plus a high alias of 4 MiB
  for (let a: u64 = 0n; a < 0x40000000n; a += 0x200000n) map2M(a, a, WRITE);
  map2M(0xffff800000000000n, 0x1000000n, 0n);
  map2M(0xffff800000200000n, 0x1200000n, 0x8000000000000000n);
  let h: u64 = 0n;
  h = h * 31n + translate(0n);
  h = h * 31n + translate(0x3fffffffn);
  h = h * 31n + translate(0x40000000n);
  h = h * 31n + translate(0xffff800000012345n);
  h = h * 31n + translate(0xffff8000003fffffn);
  h = h * 31n + translate(0xffff800000400000n);
  const nx: u64 = load64(entry(load64(entry(load64(entry(0n, 256n)) & 0xff000n, 0n)) & 0xff000n, 1n)) >> 63n;
  return h ^ (tables << 56n) ^ (nx << 48n);
}
