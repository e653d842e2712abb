// expect: 511
// i64 MIN and MAX through every operator that is defined on them.
import { i64, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const mn: i64 = -9223372036854775808n;
  const mx: i64 = 9223372036854775807n;
  let r: u64 = 0n;
  if (mn + mx == -1n) r |= 1n;
  if (mx - mn == -1n) r |= 2n;
  if (mn * mn == 0n && mx * mx == 1n && mn * mx == mn) r |= 4n;
  if (mn / mx == -1n && mx / mn == 0n && mn % mx == -1n && mx % mn == mx) r |= 8n;
  if ((mn & mx) == 0n && (mn | mx) == -1n && (mn ^ mx) == -1n) r |= 16n;
  if (~mn == mx && ~mx == mn && -mx == mn + 1n) r |= 32n;
  if (mn << 1n == 0n && mx << 1n == -2n && mn >> 62n == -2n && mx >> 62n == 1n) r |= 64n;
  if (mn < mx && mn <= mn && mx > mn && mx >= mx && mn != mx) r |= 128n;
  if (u64(mn) == 0x8000000000000000n && u64(mx) == 0x7fffffffffffffffn) r |= 256n;
  return r;
}
