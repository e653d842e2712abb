// expect: 8954731976137769813
// Nested loops of each kind; break and continue leave only the innermost loop.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 10n; i++) {
    for (let j: u64 = 0n; j < 10n; j++) {
      if (j > i) break;
      if ((i + j) % 4n == 0n) continue;
      s += i * j;
    }
  }
  let t: u64 = 0n;
  let a: u64 = 0n;
  while (a < 5n) {
    let b: u64 = 0n;
    do {
      let c: u64 = 0n;
      while (c < 3n) {
        t = t * 3n + (a ^ b ^ c);
        c++;
      }
      b++;
    } while (b < 4n);
    a++;
  }
  // count triples with a^2 + b^2 == c^2
  let n: u64 = 0n;
  for (let x: u64 = 1n; x < 30n; x++)
    for (let y: u64 = x; y < 30n; y++)
      for (let z: u64 = y; z < 45n; z++)
        if (x * x + y * y == z * z) n++;
  return s + (t << 16n) + n;
}
