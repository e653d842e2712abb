// expect: 18031324941346951949
// Edge values of u32 (0, 1, -1, MIN, MAX, 2^k and neighbours) crossed with each other through
// every binary operator, unary - and ~, and the comparisons; results hashed.
import { u32, u64 } from '../../../templates/rt/types.ts';
import { table, load64 } from '../../../templates/rt/intrinsics.ts';

const EDGES = table(8, [0n, 1n, 2n, 3n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffffffn, 0x100000000n, 0x100000001n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xfffffffffffffffen, 0xffffffffffffffffn, 0x123456789abcdef0n]);
const N: u64 = 24n;

function mix(h: u64, v: u32): u64 {
  return (h ^ u64(v)) * 0x100000001b3n;
}

export function main(): u64 {
  let h: u64 = 0xcbf29ce484222325n;
  let cmp: u64 = 0n;
  for (let i: u64 = 0n; i < N; i++) {
    const a: u32 = u32(load64(EDGES + i * 8n));
    h = mix(h, -a);
    h = mix(h, ~a);
    for (let j: u64 = 0n; j < N; j++) {
      const b: u32 = u32(load64(EDGES + j * 8n));
      h = mix(h, a + b);
      h = mix(h, a - b);
      h = mix(h, a * b);
      h = mix(h, a & b);
      h = mix(h, a | b);
      h = mix(h, a ^ b);
      h = mix(h, a << b);
      h = mix(h, a >> b);
      if (b != 0n) {
        h = mix(h, a / b);
        h = mix(h, a % b);
      }
      cmp = cmp * 3n;
      if (a < b) cmp += 1n;
      if (a <= b) cmp += 0x100n;
      if (a > b) cmp += 0x10000n;
      if (a >= b) cmp += 0x1000000n;
      if (a == b) cmp += 0x100000000n;
      if (a != b) cmp += 0x10000000000n;
    }
  }
  return h ^ cmp;
}
