// expect: 8982138567245430784
// A table of function addresses stored into zeroed() memory with store64 and called later.
import { u64 } from '../../../templates/rt/types.ts';
import { zeroed, fnaddr, callptr, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const OPS = zeroed(64n);

function opAdd(a: u64, b: u64): u64 {
  return a + b;
}
function opSub(a: u64, b: u64): u64 {
  return a - b;
}
function opMul(a: u64, b: u64): u64 {
  return a * b;
}
function opXor(a: u64, b: u64): u64 {
  return a ^ b;
}
function opShl(a: u64, b: u64): u64 {
  return a << b;
}

function install(): void {
  store64(OPS + 0n, fnaddr(opAdd));
  store64(OPS + 8n, fnaddr(opSub));
  store64(OPS + 16n, fnaddr(opMul));
  store64(OPS + 24n, fnaddr(opXor));
  store64(OPS + 32n, fnaddr(opShl));
}

function apply(op: u64, a: u64, b: u64): u64 {
  return callptr(load64(OPS + op * 8n), a, b);
}

export function main(): u64 {
  install();
  let acc: u64 = 0x0123456789abcdefn;
  for (let i: u64 = 0n; i < 50n; i++) acc = apply(i % 5n, acc, i * 0x1000193n + 1n);
  return acc;
}
