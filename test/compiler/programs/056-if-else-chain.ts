// expect: 20424496627465
// Long if / else if / else chains, with and without braces, and a dangling else.
import { u64, i64 } from '../../../templates/rt/types.ts';

function classify(x: i64): u64 {
  if (x < -1000n) {
    return 1n;
  } else if (x < -10n) {
    return 2n;
  } else if (x < 0n) {
    return 3n;
  } else if (x == 0n) {
    return 4n;
  } else if (x <= 10n) {
    return 5n;
  } else if (x <= 1000n) {
    return 6n;
  } else {
    return 7n;
  }
}

function dangling(a: u64, b: u64): u64 {
  let r: u64 = 0n;
  if (a > 0n)
    if (b > 0n) r = 1n;
    else r = 2n;
  return r;
}

export function main(): u64 {
  let h: u64 = 0n;
  const xs: i64 = -9223372036854775808n;
  h = h * 8n + classify(xs);
  h = h * 8n + classify(-1001n);
  h = h * 8n + classify(-1000n);
  h = h * 8n + classify(-11n);
  h = h * 8n + classify(-10n);
  h = h * 8n + classify(-1n);
  h = h * 8n + classify(0n);
  h = h * 8n + classify(1n);
  h = h * 8n + classify(10n);
  h = h * 8n + classify(11n);
  h = h * 8n + classify(1000n);
  h = h * 8n + classify(1001n);
  h = h * 8n + classify(9223372036854775807n);
  h = h * 4n + dangling(0n, 0n);
  h = h * 4n + dangling(0n, 1n);
  h = h * 4n + dangling(1n, 0n);
  h = h * 4n + dangling(1n, 1n);
  return h;
}
