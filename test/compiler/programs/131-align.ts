// expect: 4539628424389804986
// Alignment helpers: ALIGN_UP/ALIGN_DOWN with masks, EFI_SIZE_TO_PAGES, overflow at the top.
import { u64 } from '../../../templates/rt/types.ts';

function alignUp(x: u64, a: u64): u64 {
  return (x + a - 1n) & ~(a - 1n);
}
function alignDown(x: u64, a: u64): u64 {
  return x & ~(a - 1n);
}
function sizeToPages(n: u64): u64 {
  return (n >> 12n) + ((n & 0xfffn) != 0n ? 1n : 0n);
}

export function main(): u64 {
  let r: u64 = 0n;
  if (alignUp(0n, 4096n) == 0n && alignUp(1n, 4096n) == 4096n && alignUp(4096n, 4096n) == 4096n) r |= 1n;
  if (alignDown(0x12345n, 0x1000n) == 0x12000n) r |= 2n;
  if (alignUp(0xfffffffffffff001n, 4096n) == 0n) r |= 4n;
  if (alignDown(0xffffffffffffffffn, 0x200000n) == 0xffffffffffe00000n) r |= 8n;
  if (sizeToPages(0n) == 0n && sizeToPages(1n) == 1n && sizeToPages(4096n) == 1n && sizeToPages(4097n) == 2n) r |= 16n;
  if (sizeToPages(0xffffffffffffffffn) == 0x0010000000000000n) r |= 32n;
  let s: u64 = 0n;
  for (let x: u64 = 0n; x < 10000n; x += 333n) s += alignUp(x, 64n) + alignDown(x, 256n) + sizeToPages(x * 1000n);
  return (r << 56n) | s;
}
