// expect: 6106367498929803382
// A dense switch of 24 consecutive cases (a jump table candidate), hit from a loop.
import { u8, u64 } from '../../../templates/rt/types.ts';

function op(c: u8): u64 {
  switch (c) {
    case 0n: return 3n;
    case 1n: return 1n;
    case 2n: return 4n;
    case 3n: return 1n;
    case 4n: return 5n;
    case 5n: return 9n;
    case 6n: return 2n;
    case 7n: return 6n;
    case 8n: return 5n;
    case 9n: return 3n;
    case 10n: return 5n;
    case 11n: return 8n;
    case 12n: return 9n;
    case 13n: return 7n;
    case 14n: return 9n;
    case 15n: return 3n;
    case 16n: return 2n;
    case 17n: return 3n;
    case 18n: return 8n;
    case 19n: return 4n;
    case 20n: return 6n;
    case 21n: return 2n;
    case 22n: return 6n;
    case 23n: return 4n;
    default: return 0n;
  }
}

export function main(): u64 {
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 300n; i++) h = h * 11n + op(u8(i));
  return h;
}
