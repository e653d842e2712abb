// expect: 12010059612479029247
// Towers of Hanoi: recursive moves recorded in globals, 18 discs (262143 moves).
import { u64 } from '../../../templates/rt/types.ts';

let moves: u64 = 0n;
let sig: u64 = 0n;

function hanoi(n: u64, from: u64, to: u64, via: u64): void {
  if (n == 0n) return;
  hanoi(n - 1n, from, via, to);
  moves++;
  sig = sig * 3n + from * 4n + to + n;
  hanoi(n - 1n, via, to, from);
}

export function main(): u64 {
  hanoi(18n, 0n, 2n, 1n);
  return moves ^ (sig << 20n);
}
