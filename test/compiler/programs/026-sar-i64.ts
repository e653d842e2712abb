// expect: 2727925630166302055
// i64 >> is arithmetic: the sign is copied into the vacated bits.
import { i64 } from '../../../templates/rt/types.ts';

function sar(a: i64, n: i64): i64 {
  return a >> n;
}

export function main(): i64 {
  const mn: i64 = -9223372036854775808n;
  let r: i64 = 0n;
  if (sar(mn, 0n) == mn) r |= 1n;
  if (sar(mn, 1n) == -4611686018427387904n) r |= 2n;
  if (sar(mn, 31n) == -4294967296n) r |= 4n;
  if (sar(mn, 32n) == -2147483648n) r |= 8n;
  if (sar(mn, 63n) == -1n) r |= 16n;
  if (sar(-1n, 63n) == -1n) r |= 32n;
  if (sar(-7n, 1n) == -4n) r |= 64n;
  if (sar(9223372036854775807n, 63n) == 0n) r |= 128n;
  if (sar(-5n, 2n) == -2n) r |= 256n;
  let s: i64 = 0n;
  for (let n: i64 = 0n; n < 64n; n++) s = s + sar(-1234567890123456789n, n);
  return s * 1000n + r;
}
