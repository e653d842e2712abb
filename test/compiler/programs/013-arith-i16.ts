// expect: -17796745
// i16 arithmetic, division and remainder.
import { i16, i64 } from '../../../templates/rt/types.ts';

export function main(): i64 {
  const mx: i16 = 32767n;
  const mn: i16 = -32768n;
  let r: i64 = 0n;
  if (mx + 1n == mn) r |= 1n;
  if (mn - 1n == mx) r |= 2n;
  if (mn * -1n == mn) r |= 4n;
  if (i16(300n) * i16(300n) == 24464n) r |= 8n;
  if (i16(-300n) * i16(300n) == -24464n) r |= 16n;
  if (i16(-32000n) / 1000n == -32n) r |= 32n;
  if (i16(-32001n) % 1000n == -1n) r |= 64n;
  if (mn / -1n == mn) r |= 128n;
  let h: i16 = 1n;
  for (let i: i16 = 0n; i < 100n; i++) h = h * 5n - i;
  return i64(h) * 1000n + r;
}
