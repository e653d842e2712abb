// expect: 298842
// fnaddr + callptr with 0 to 4 arguments.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function k(): u64 {
  return 42n;
}
function inc(a: u64): u64 {
  return a + 1n;
}
function sub(a: u64, b: u64): u64 {
  return a - b;
}
function mix(a: u64, b: u64, c: u64, d: u64): u64 {
  return a * 1000n + b * 100n + c * 10n + d;
}

export function main(): u64 {
  const pk: ptr = fnaddr(k);
  const pi: ptr = fnaddr(inc);
  const ps: ptr = fnaddr(sub);
  const pm: ptr = fnaddr(mix);
  const a: u64 = 1n;
  const b: u64 = 5n;
  const c: u64 = 0xffffffffffffffffn;
  let r: u64 = callptr(pk);
  r = r * 1000n + callptr(pi, r);
  r = r * 7n + callptr(ps, a, b);
  r = r + callptr(pi, c);
  r = r + callptr(pm, a, b, a, b) * 3n;
  return r;
}
