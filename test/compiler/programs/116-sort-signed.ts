// expect: -74250378118115
// A shell sort of i64 values in a buffer (negatives first), and a bubble sort of i16 values.
import { u16, u64, i16, i64 } from '../../../templates/rt/types.ts';
import { zeroed, table, load16, load64, store16, store64 } from '../../../templates/rt/intrinsics.ts';

const A = zeroed(8n * 40n);
const B = zeroed(2n * 12n);
const INIT16 = table(2, [0x8000n, 0x7fffn, 0xffffn, 0n, 1n, 0xfffen, 0x1234n, 0xedccn, 300n, 0xff00n, 5n, 0x8001n]);

function get(i: u64): i64 {
  return i64(load64(A + i * 8n));
}
function put(i: u64, v: i64): void {
  store64(A + i * 8n, u64(v));
}

export function main(): i64 {
  let x: i64 = 12345n;
  for (let i: u64 = 0n; i < 40n; i++) {
    x = x * 6364136223846793005n + 1442695040888963407n;
    put(i, x >> 20n);
  }
  for (let gap: u64 = 20n; gap > 0n; gap /= 2n) {
    for (let i: u64 = gap; i < 40n; i++) {
      const t: i64 = get(i);
      let j: u64 = i;
      while (j >= gap && get(j - gap) > t) {
        put(j, get(j - gap));
        j -= gap;
      }
      put(j, t);
    }
  }
  let bad: i64 = 0n;
  for (let i: u64 = 1n; i < 40n; i++) if (get(i - 1n) > get(i)) bad++;
  for (let i: u64 = 0n; i < 12n; i++) store16(B + i * 2n, load16(INIT16 + i * 2n));
  for (let i: u64 = 0n; i < 12n; i++) {
    for (let j: u64 = 0n; j + 1n < 12n - i; j++) {
      const p: i16 = i16(load16(B + j * 2n));
      const q: i16 = i16(load16(B + j * 2n + 2n));
      if (p > q) {
        store16(B + j * 2n, u16(q));
        store16(B + j * 2n + 2n, u16(p));
      }
    }
  }
  let h: i64 = 0n;
  for (let i: u64 = 0n; i < 12n; i++) h = h * 7n + i64(i16(load16(B + i * 2n)));
  return bad * 1000000000000000000n + get(0n) + get(39n) + h;
}
