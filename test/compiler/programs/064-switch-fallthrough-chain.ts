// expect: 4085852124005213075
// Duff-style fall-through: entering a chain of cases at different points.
import { u64, i64 } from '../../../templates/rt/types.ts';

function tail(n: u64): u64 {
  let r: u64 = 0n;
  switch (n) {
    // @ts-ignore -- deliberate fall-through
    case 4n:
      r = r * 10n + 4n;
    // @ts-ignore -- deliberate fall-through
    case 3n:
      r = r * 10n + 3n;
    // @ts-ignore -- deliberate fall-through
    case 2n:
      r = r * 10n + 2n;
    // @ts-ignore -- deliberate fall-through
    case 1n:
      r = r * 10n + 1n;
    default:
      r = r * 10n;
  }
  return r;
}

function neg(x: i64): i64 {
  let r: i64 = 0n;
  switch (x) {
    // @ts-ignore -- deliberate fall-through
    case -3n:
      r += 300n;
    case -2n:
      r += 20n;
      break;
    case -1n:
      r -= 1n;
  }
  return r;
}

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 6n; i++) s = s * 100000n + tail(i);
  return s + u64(neg(-3n) + neg(-2n) + neg(-1n) + neg(0n));
}
