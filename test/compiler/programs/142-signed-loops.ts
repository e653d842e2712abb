// expect: 1153201605999297270
// Loops with signed counters crossing zero, and i8/i16 counters that stop before wrapping.
import { i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let s: i64 = 0n;
  for (let i: i64 = 10n; i > -10n; i--) s = s * 3n + i;
  let t: i64 = 0n;
  for (let i: i32 = -100n; i < 100n; i += 9n) t += i64(i) * i64(i) * i64(i);
  let u: i64 = 0n;
  for (let i: i8 = -128n; i < 127n; i++) u += i64(i);
  let v: i64 = 0n;
  let k: i16 = 32767n;
  while (k > -30000n) {
    v++;
    k -= 4000n;
  }
  return s ^ (t << 20n) ^ (u << 40n) ^ (v << 56n);
}
