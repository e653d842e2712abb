// expect: 3197530861
// callptr with 9 arguments: stack-passed through an indirect call on both ABIs.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function nine(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  return ((((((((a * 10n + b) * 10n + c) * 10n + d) * 10n + e) * 10n + f) * 10n + g) * 10n + h) * 10n + i);
}

export function main(): u64 {
  const p: ptr = fnaddr(nine);
  const x1: u64 = 1n;
  const x2: u64 = 2n;
  const x3: u64 = 3n;
  const x4: u64 = 4n;
  const x5: u64 = 5n;
  const x6: u64 = 6n;
  const x7: u64 = 7n;
  const x8: u64 = 8n;
  const x9: u64 = 9n;
  const big: u64 = 0xffffffffffffffffn;
  const a: u64 = callptr(p, x1, x2, x3, x4, x5, x6, x7, x8, x9);
  const b: u64 = callptr(p, x9, x8, x7, x6, x5, x4, x3, x2, x1);
  const c: u64 = callptr(p, x1, x1, x1, x1, x1, x1, x1, x1, big);
  return a + b * 3n + c;
}
