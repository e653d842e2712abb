// expect: 11836099854824296091
// && || ! on comparison results, nested, in all combinations.
import { u64 } from '../../../templates/rt/types.ts';

function nz(v: u64): boolean {
  return v != 0n;
}

function truth(a: u64, b: u64, c: u64): u64 {
  let m: u64 = 0n;
  if (nz(a) && nz(b)) m |= 1n;
  if (nz(a) || nz(b)) m |= 2n;
  if (!nz(a)) m |= 4n;
  if (nz(a) && nz(b) || nz(c)) m |= 8n;
  if (nz(a) && (nz(b) || nz(c))) m |= 16n;
  if (!(nz(a) || nz(b)) && !nz(c)) m |= 32n;
  if (nz(a) && !nz(b) || !nz(a) && nz(b)) m |= 64n;
  if (!!nz(c) || a == 0n && !(b != 0n)) m |= 128n;
  return m;
}

export function main(): u64 {
  let acc: u64 = 0n;
  for (let i: u64 = 0n; i < 8n; i++) acc = (acc << 8n) | truth(i & 1n, i & 2n, i & 4n);
  return acc;
}
