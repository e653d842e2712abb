// expect: 6871010820271958846
// i32 division and remainder with negative operands, truncating toward zero.
import { i32, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  let acc: i64 = 0n;
  const ds: i32 = -7n;
  for (let a: i32 = -50n; a <= 50n; a += 7n) {
    for (let d: i32 = -9n; d <= 9n; d += 4n) {
      if (d == 0n) continue;
      const q: i32 = a / d;
      const m: i32 = a % d;
      // the identity a == q*d + m always holds
      if (q * d + m != a) return -1n;
      acc = acc * 3n + i64(q) * 10n + i64(m);
    }
  }
  const mn: i32 = -2147483648n;
  let r: i64 = 0n;
  if (mn / 2n == -1073741824n) r |= 1n;
  if (mn % 10n == -8n) r |= 2n;
  if (mn / ds == 306783378n) r |= 4n;
  if (i32(100n) % ds == 2n) r |= 8n;
  return acc + r;
}
