// expect: 2640006355
// Population count three ways: bit loop, Kernighan's x & (x - 1), and the SWAR formula.
import { u64 } from '../../../templates/rt/types.ts';

function popLoop(x: u64): u64 {
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < 64n; i++) n += (x >> i) & 1n;
  return n;
}
function popKernighan(x: u64): u64 {
  let n: u64 = 0n;
  while (x != 0n) {
    x &= x - 1n;
    n++;
  }
  return n;
}
function popSwar(x: u64): u64 {
  x = x - ((x >> 1n) & 0x5555555555555555n);
  x = (x & 0x3333333333333333n) + ((x >> 2n) & 0x3333333333333333n);
  x = (x + (x >> 4n)) & 0x0f0f0f0f0f0f0f0fn;
  return (x * 0x0101010101010101n) >> 56n;
}

export function main(): u64 {
  let total: u64 = 0n;
  let bad: u64 = 0n;
  let v: u64 = 0x0123456789abcdefn;
  for (let i: u64 = 0n; i < 200n; i++) {
    v = v * 6364136223846793005n + 1442695040888963407n;
    const a: u64 = popLoop(v);
    if (a != popKernighan(v) || a != popSwar(v)) bad++;
    total += a;
  }
  const edges: u64 = popSwar(0n) + popSwar(0xffffffffffffffffn) * 100n + popSwar(0x8000000000000001n) * 10000n;
  return bad * 1000000000000n + edges * 100000n + total;
}
