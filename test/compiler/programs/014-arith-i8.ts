// expect: 23302047
// i8 arithmetic: 127 + 1 is -128, -128 * -1 is -128, and friends.
import { i8, i64 } from '../../../templates/rt/types.ts';

function neg(a: i8): i8 {
  return -a;
}

export function main(): i64 {
  const mx: i8 = 127n;
  const mn: i8 = -128n;
  let r: i64 = 0n;
  if (mx + 1n == mn) r |= 1n;
  if (mn - 1n == mx) r |= 2n;
  if (neg(mn) == mn) r |= 4n;
  if (mn * -1n == mn) r |= 8n;
  if (i8(100n) + i8(100n) == -56n) r |= 16n;
  if (i8(-100n) - i8(100n) == 56n) r |= 32n;
  if (i8(16n) * i8(16n) == 0n) r |= 64n;
  if (i8(-7n) / 2n == -3n) r |= 128n;
  if (i8(-7n) % 2n == -1n) r |= 256n;
  if (mn / 3n == -42n) r |= 512n;
  if (mn % 3n == -2n) r |= 1024n;
  let s: i64 = 0n;
  let x: i8 = 0n;
  for (let i: i64 = 0n; i < 300n; i++) {
    x = x + 3n;
    s = s + i64(x);
  }
  return s * 10000n + r;
}
