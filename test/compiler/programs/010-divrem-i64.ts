// expect: -9123600269754230305
// i64 division and remainder truncate toward zero; the remainder takes the dividend's sign.
import { i64 } from '../../../templates/rt/types.ts';

function div(a: i64, b: i64): i64 {
  return a / b;
}
function rem(a: i64, b: i64): i64 {
  return a % b;
}

export function main(): i64 {
  let r: i64 = 0n;
  if (div(7n, 2n) == 3n) r |= 1n;
  if (div(-7n, 2n) == -3n) r |= 2n;
  if (div(7n, -2n) == -3n) r |= 4n;
  if (div(-7n, -2n) == 3n) r |= 8n;
  if (rem(7n, 2n) == 1n) r |= 16n;
  if (rem(-7n, 2n) == -1n) r |= 32n;
  if (rem(7n, -2n) == 1n) r |= 64n;
  if (rem(-7n, -2n) == -1n) r |= 128n;
  if (div(-1n, 2n) == 0n) r |= 256n;
  if (rem(-1n, 2n) == -1n) r |= 512n;
  const mn: i64 = -9223372036854775808n;
  if (div(mn, 2n) == -4611686018427387904n) r |= 1024n;
  if (rem(mn, 3n) == -2n) r |= 2048n;
  if (div(mn, 9223372036854775807n) == -1n) r |= 4096n;
  if (rem(mn, 9223372036854775807n) == -1n) r |= 8192n;
  let acc: i64 = 0n;
  for (let a: i64 = -20n; a <= 20n; a++) acc = acc * 7n + div(a, 3n) * 100n + rem(a, -6n);
  return acc ^ r;
}
