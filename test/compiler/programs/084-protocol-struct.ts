// expect: 4041856650441
// A UEFI-style protocol: a struct in zeroed memory holding a revision, data and function
// pointers; callers get the interface pointer and call through its fields, passing This.
import { u32, u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, fnaddr, callptr, load32, load64, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const Proto = struct({ revision: u32, count: u64, read: ptr, write: ptr, reset: ptr });
const IFACE = zeroed(64n);
const BACKING = zeroed(128n);

function pRead(self: ptr, index: u64): u64 {
  store64(self + Proto.count, load64(self + Proto.count) + 1n);
  return load64(BACKING + (index % 16n) * 8n);
}
function pWrite(self: ptr, index: u64, value: u64): u64 {
  store64(self + Proto.count, load64(self + Proto.count) + 1n);
  store64(BACKING + (index % 16n) * 8n, value);
  return 0n;
}
function pReset(self: ptr): u64 {
  for (let i: u64 = 0n; i < 16n; i++) store64(BACKING + i * 8n, 0n);
  store64(self + Proto.count, 0n);
  return u64(load32(self + Proto.revision));
}

function install(p: ptr): void {
  store32(p + Proto.revision, 0x00010002n);
  store64(p + Proto.read, fnaddr(pRead));
  store64(p + Proto.write, fnaddr(pWrite));
  store64(p + Proto.reset, fnaddr(pReset));
}

export function main(): u64 {
  install(IFACE);
  const p: ptr = IFACE;
  for (let i: u64 = 0n; i < 20n; i++) callptr(load64(p + Proto.write), p, i, i * i + 1n);
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 16n; i++) s = s * 3n + callptr(load64(p + Proto.read), p, i);
  const n: u64 = load64(p + Proto.count);
  const rev: u64 = callptr(load64(p + Proto.reset), p);
  const five: u64 = 5n;
  const after: u64 = callptr(load64(p + Proto.read), p, five) + load64(p + Proto.count);
  return s + n * 1000000000n + rev * 1000n + after + Proto.$size * 100000000000n;
}
