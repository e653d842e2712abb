// expect: 12345678458
// A sparse switch over u64 with case values at 2^31, 2^32, 2^63 and 2^64 - 1.
import { u64 } from '../../../templates/rt/types.ts';

function cls(x: u64): u64 {
  switch (x) {
    case 0n:
      return 1n;
    case 0x80000000n:
      return 2n;
    case 0x100000000n:
      return 3n;
    case 0x8000000000000000n:
      return 4n;
    case 0xffffffffffffffffn:
      return 5n;
    case 0x7fffffffn:
      return 6n;
    case 0xffffffffn:
      return 7n;
    default:
      return 8n;
  }
}

export function main(): u64 {
  let h: u64 = 0n;
  h = h * 10n + cls(0n);
  h = h * 10n + cls(0x80000000n);
  h = h * 10n + cls(0x100000000n);
  h = h * 10n + cls(0x8000000000000000n);
  h = h * 10n + cls(0xffffffffffffffffn);
  h = h * 10n + cls(0x7fffffffn);
  h = h * 10n + cls(0xffffffffn);
  h = h * 10n + cls(0x180000000n);
  const m: u64 = 0x7fffffffffffffffn;
  h = h * 10n + cls(m + 1n);
  h = h * 10n + cls(m + m + 1n);
  h = h * 10n + cls(1n);
  return h;
}
