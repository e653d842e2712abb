// expect: 9470037916250623411
// A function that receives a function pointer and calls it back, like a UEFI notify function.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function forEach(from: u64, to: u64, cb: ptr, ctx: u64): u64 {
  let acc: u64 = ctx;
  for (let i: u64 = from; i < to; i++) acc = callptr(cb, acc, i);
  return acc;
}

function sumCb(acc: u64, i: u64): u64 {
  return acc + i;
}
function hashCb(acc: u64, i: u64): u64 {
  return (acc ^ i) * 0x100000001b3n;
}
function nestedCb(acc: u64, i: u64): u64 {
  // a callback that itself calls forEach with another callback
  return acc + forEach(0n, i, fnaddr(sumCb), 0n);
}

export function main(): u64 {
  const a: u64 = forEach(0n, 100n, fnaddr(sumCb), 0n);
  const b: u64 = forEach(0n, 64n, fnaddr(hashCb), 0xcbf29ce484222325n);
  const c: u64 = forEach(0n, 20n, fnaddr(nestedCb), 0n);
  return a ^ b ^ (c << 40n);
}
