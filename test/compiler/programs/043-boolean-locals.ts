// expect: 142803831645059
// boolean locals: assigned from comparisons, combined, compared with == and !=.
import { u64 } from '../../../templates/rt/types.ts';

function bits(a: u64, b: u64, c: u64): u64 {
  const x: boolean = a != 0n;
  const y: boolean = b != 0n;
  let z: boolean = c != 0n;
  let m: u64 = 0n;
  if (x && y) m |= 1n;
  if (x || z) m |= 2n;
  if (x != y) m |= 4n;
  if (x == !z) m |= 8n;
  z = !z && x;
  if (z) m |= 16n;
  let t: boolean = false;
  if (a > b) t = true;
  if (t === y) m |= 32n;
  return m;
}

export function main(): u64 {
  let acc: u64 = 0n;
  for (let i: u64 = 0n; i < 8n; i++) acc = (acc << 6n) | bits(i & 1n, i & 2n, i & 4n);
  return acc;
}
