// expect: 16543617919932474616
// The emulator's memory map (templates/memmap.ts) exercised the same way on the host and
// as machine code: adds, a reservation, allocations of every kind, frees and merging.
import { u64 } from '../../../templates/rt/types.ts';
import { load64, store64, zeroed } from '../../../templates/rt/intrinsics.ts';
import { mmReset, mmAdd, mmAllocate, mmFree, mmGetMap, mmCount } from '../../../templates/memmap.ts';

const OUT = zeroed(0x40n);
const MAP = zeroed(0x1000n);

function alloc(kind: u64, pages: u64, addr: u64): u64 {
  store64(OUT, addr);
  const status: u64 = mmAllocate(kind, 4n, pages, OUT);
  return status == 0n ? load64(OUT) : status;
}

export function main(): u64 {
  mmReset();
  let h: u64 = mmAdd(0x4000_0000n, 0x4_0000n, 7n, 8n);
  h = h * 31n + mmAdd(0x4010_0000n, 0x10n, 0n, 8n);
  const a: u64 = alloc(0n, 4n, 0n);
  const b: u64 = alloc(1n, 2n, 0x401f_ffffn);
  const c: u64 = alloc(2n, 1n, 0x4000_5000n);
  h = h * 31n + a + b * 3n + c * 5n + mmCount() * 7n;
  h = h * 31n + mmFree(b, 2n) + mmFree(c, 1n) * 3n + mmFree(0x4000_0000n, 1n);
  store64(OUT + 0x10n, 0x1000n);
  h = h * 31n + mmGetMap(OUT + 0x10n, MAP, OUT + 0x18n, OUT + 0x20n, OUT + 0x28n);
  for (let i: u64 = 0n; i < load64(OUT + 0x10n) / 8n; i++) h = h * 31n + load64(MAP + i * 8n);
  return h;
}
