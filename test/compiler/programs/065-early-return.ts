// expect: 1001091310550
// Returns from inside loops, nested ifs and switches.
import { u64 } from '../../../templates/rt/types.ts';

function find(x: u64): u64 {
  for (let i: u64 = 0n; i < 100n; i++) {
    for (let j: u64 = 0n; j < 100n; j++) {
      if (i * j == x) return i * 1000n + j;
    }
  }
  return 999999n;
}

function firstSetBit(x: u64): u64 {
  let i: u64 = 0n;
  while (true) {
    if (i == 64n) return 64n;
    if (((x >> i) & 1n) != 0n) return i;
    i++;
  }
}

function pick(k: u64): u64 {
  switch (k) {
    case 1n:
      if (k > 0n) return 11n;
      break;
    case 2n:
      return 22n;
  }
  if (k == 3n) {
    if (k > 2n) {
      return 33n;
    }
  }
  return 44n;
}

export function main(): u64 {
  let s: u64 = 0n;
  s += find(91n) + find(0n) * 7n + find(9999999n);
  s = s * 100n + firstSetBit(0x8000000000000000n) + firstSetBit(0n) + firstSetBit(0x10n);
  s = s * 10000n + pick(1n) + pick(2n) * 3n + pick(3n) * 5n + pick(4n) * 7n;
  return s;
}
