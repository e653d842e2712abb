// expect: 14894813628796648639
// xorshift64*, xorshift32 and splitmix64 generators: many shifts, xors and multiplies.
import { u32, u64 } from '../../../templates/rt/types.ts';

let state64: u64 = 88172645463325252n;
let state32: u32 = 2463534242n;
let smState: u64 = 0n;

function xorshift64star(): u64 {
  state64 ^= state64 >> 12n;
  state64 ^= state64 << 25n;
  state64 ^= state64 >> 27n;
  return state64 * 0x2545f4914f6cdd1dn;
}
function xorshift32(): u32 {
  state32 ^= state32 << 13n;
  state32 ^= state32 >> 17n;
  state32 ^= state32 << 5n;
  return state32;
}
function splitmix64(): u64 {
  smState += 0x9e3779b97f4a7c15n;
  let z: u64 = smState;
  z = (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n;
  z = (z ^ (z >> 27n)) * 0x94d049bb133111ebn;
  return z ^ (z >> 31n);
}

export function main(): u64 {
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 1000n; i++) h = (h ^ xorshift64star()) + u64(xorshift32()) + splitmix64();
  let r: u64 = 0n;
  smState = 0n;
  if (splitmix64() == 0xe220a8397b1dcdafn) r |= 1n;
  return (r << 63n) ^ h;
}
