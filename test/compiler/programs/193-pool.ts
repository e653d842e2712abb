// expect: 10162096218062434057
// AllocatePool/FreePool (templates/pool.ts) over the memory map, on the host and as
// machine code: sizes across page boundaries, writes to the blocks, frees, exhaustion.
import { u64 } from '../../../templates/rt/types.ts';
import { load64, store64, store8, load8, zeroed } from '../../../templates/rt/intrinsics.ts';
import { mmReset, mmAdd, mmCount } from '../../../templates/memmap.ts';
import { poolAllocate, poolFree } from '../../../templates/pool.ts';

const OUT = zeroed(0x40n);
const ARENA = zeroed(0x10000n, 0x1000n);

export function main(): u64 {
  mmReset();
  let h: u64 = mmAdd(ARENA, 0x10n, 7n, 8n);
  for (let size: u64 = 1n; size < 0x5000n; size = size * 3n + 5n) {
    h = h * 31n + poolAllocate(4n, size, OUT);
    const p: u64 = load64(OUT);
    if (h != 0n && p == 0n) continue;
    store8(p + size - 1n, 0x5an);
    h = h * 31n + (p - ARENA) + u64(load8(p + size - 1n)) + mmCount();
    h = h * 31n + poolFree(p) + poolFree(p);
  }
  h = h * 31n + poolAllocate(4n, 0x10000n, OUT);
  store64(OUT + 8n, 0n);
  return h;
}
