// expect: 1521
// fnaddr is stable (same function, same address) and distinct between functions.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function a(): u64 {
  return 1n;
}
function b(): u64 {
  return 2n;
}

function which(p: ptr): u64 {
  if (p == fnaddr(a)) return 10n;
  if (p == fnaddr(b)) return 20n;
  return 30n;
}

export function main(): u64 {
  let r: u64 = 0n;
  const pa: ptr = fnaddr(a);
  const pb: ptr = fnaddr(b);
  if (pa == fnaddr(a)) r |= 1n;
  if (pa != pb) r |= 2n;
  if (pa != 0n && pb != 0n) r |= 4n;
  if (which(pa) == 10n && which(pb) == 20n && which(fnaddr(which)) == 30n) r |= 8n;
  return r * 100n + callptr(pa) + callptr(pb) * 10n;
}
