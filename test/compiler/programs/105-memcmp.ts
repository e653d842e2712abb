// expect: -998746253999999
// CompareMem: the difference of the first differing bytes, compared as unsigned bytes.
import { u64, i64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, table, load8 } from '../../../templates/rt/intrinsics.ts';

const A = table(1, [0x61n, 0x62n, 0x63n, 0x64n, 0x65n, 0x66n, 0xffn]);
const B = table(1, [0x61n, 0x62n, 0x63n, 0x64n, 0x65n, 0x67n, 0x01n]);
const C = table(1, [0x61n, 0x62n, 0x63n, 0x64n, 0x65n, 0x66n, 0x01n]);
const S1 = ascii('memory');
const S2 = ascii('memorx');

function compareMem(a: ptr, b: ptr, n: u64): i64 {
  for (let i: u64 = 0n; i < n; i++) {
    const x: i64 = i64(load8(a + i));
    const y: i64 = i64(load8(b + i));
    if (x != y) return x - y;
  }
  return 0n;
}

export function main(): i64 {
  let s: i64 = 0n;
  s = s * 1000n + compareMem(A, B, 7n);
  s = s * 1000n + compareMem(B, A, 7n);
  s = s * 1000n + compareMem(A, C, 7n);
  s = s * 1000n + compareMem(C, A, 7n);
  s = s * 1000n + compareMem(A, C, 6n);
  s = s * 1000n + compareMem(S1, S2, 7n);
  return s;
}
