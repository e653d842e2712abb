// expect: 16749909
// switch with fall-through between non-empty cases, shared case labels, and default.
import { u64 } from '../../../templates/rt/types.ts';

function sw(x: u64): u64 {
  let r: u64 = 0n;
  switch (x) {
    // @ts-ignore -- deliberate fall-through (tsconfig enables noFallthroughCasesInSwitch)
    case 0n:
      r += 1n;
    // @ts-ignore -- deliberate fall-through
    case 1n:
      r += 10n;
    case 2n:
      r += 100n;
      break;
    case 3n:
    case 4n:
      r += 1000n;
      break;
    // @ts-ignore -- deliberate fall-through
    case 0xffffffffffffffffn:
      r += 10000n;
    default:
      r += 100000n;
  }
  return r;
}

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 7n; i++) s = s * 7n + sw(i);
  return s + sw(0xffffffffffffffffn) + sw(0x100000000n) * 3n;
}
