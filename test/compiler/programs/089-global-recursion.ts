// expect: 5683964377720
// Globals updated across recursion: maximum depth and call count of a recursive walk.
import { u64 } from '../../../templates/rt/types.ts';

let depth: u64 = 0n;
let maxDepth: u64 = 0n;
let visits: u64 = 0n;

function walk(n: u64): u64 {
  depth++;
  visits++;
  if (depth > maxDepth) maxDepth = depth;
  let s: u64 = n;
  if (n > 1n) s += walk(n / 2n) + walk(n / 3n);
  depth--;
  return s;
}

export function main(): u64 {
  const s: u64 = walk(1000000n);
  return s * 1000000n + visits * 100n + maxDepth + depth * 1000000000000000n;
}
