// expect: 9223372036854774294
// i64 arithmetic wraps in two's complement: MAX + 1 is MIN, MIN - 1 is MAX.
import { i64 } from '../../../templates/rt/types.ts';

function add(a: i64, b: i64): i64 {
  return a + b;
}
function sub(a: i64, b: i64): i64 {
  return a - b;
}
function mul(a: i64, b: i64): i64 {
  return a * b;
}

export function main(): i64 {
  const mx: i64 = 9223372036854775807n;
  const mn: i64 = -9223372036854775808n;
  let r: i64 = 0n;
  if (add(mx, 1n) == mn) r |= 1n;
  if (sub(mn, 1n) == mx) r |= 2n;
  if (add(mn, mn) == 0n) r |= 4n;
  if (mul(mx, 2n) == -2n) r |= 8n;
  if (mul(mn, -1n) == mn) r |= 16n;
  if (mul(-1n, -1n) == 1n) r |= 32n;
  if (sub(0n, mn) == mn) r |= 64n;
  if (mul(0x100000000n, 0x80000000n) == mn) r |= 128n;
  if (add(-5n, 3n) == -2n) r |= 256n;
  // a negative result: -(r) - 1000 + wrapped product
  return -r - 1000n + mul(mx, 3n);
}
