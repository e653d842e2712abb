// expect: 1000105
// Machine-control intrinsics that user mode allows: barrier, cache maintenance, a call
// on a stack of our own, the free-running timer, and the console.
import { u64 } from '../../../templates/rt/types.ts';
import { barrier, cacheClean, callEntry, fnaddr, readTimer, zeroed, load64, store64, putc } from '../../../templates/rt/intrinsics.ts';

const STACK = zeroed(0x4000n);
const BUF = zeroed(0x100n);

function onOwnStack(a: u64, b: u64): u64 {
  let depth: u64 = 0n;
  for (let i: u64 = 0n; i < 10n; i++) depth += i;
  return a * 1000n + b * 100n + depth;
}

export function main(): u64 {
  store64(BUF, 0x1234n);
  barrier();
  cacheClean(BUF, 0x100n);
  const r: u64 = callEntry(fnaddr(onOwnStack), STACK + 0x4000n, 1000n, 0n);
  const t0: u64 = readTimer();
  const t1: u64 = readTimer();
  const monotonic: u64 = t1 >= t0 ? 1n : 0n;
  putc(0x2en);
  putc(0x0an);
  return r + monotonic * 60n + (load64(BUF) == 0x1234n ? 0n : 7n);
}
