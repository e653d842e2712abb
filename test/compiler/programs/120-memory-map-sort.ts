// expect: 6536761038363335749
// EFI memory descriptors in a buffer: sorted by PhysicalStart, adjacent ranges of one type merged.
import { u32, u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load32, load64, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const Desc = struct({ type: u32, phys: ptr, virt: ptr, pages: u64, attr: u64 });
const MAP = zeroed(40n * 16n);
let count: u64 = 0n;

function add(type: u32, phys: u64, pages: u64): void {
  const d: ptr = MAP + count * Desc.$size;
  store32(d + Desc.type, type);
  store64(d + Desc.phys, phys);
  store64(d + Desc.virt, 0n);
  store64(d + Desc.pages, pages);
  store64(d + Desc.attr, 0x800000000000000fn);
  count++;
}

function swap(a: ptr, b: ptr): void {
  for (let off: u64 = 0n; off < Desc.$size; off += 8n) {
    const t: u64 = load64(a + off);
    store64(a + off, load64(b + off));
    store64(b + off, t);
  }
}

export function main(): u64 {
  add(7n, 0x40000000n, 0x100n);
  add(2n, 0x00100000n, 0x10n);
  add(7n, 0x40100000n, 0x200n);
  add(4n, 0x80000000n, 0x1n);
  add(7n, 0x00000000n, 0x100n);
  add(2n, 0x00110000n, 0x20n);
  add(7n, 0x40300000n, 0x1n);
  add(9n, 0xfffff000n, 0x1n);
  // selection sort by phys
  for (let i: u64 = 0n; i < count; i++) {
    let m: u64 = i;
    for (let j: u64 = i + 1n; j < count; j++)
      if (load64(MAP + j * Desc.$size + Desc.phys) < load64(MAP + m * Desc.$size + Desc.phys)) m = j;
    if (m != i) swap(MAP + i * Desc.$size, MAP + m * Desc.$size);
  }
  // merge neighbours of the same type that touch
  let out: u64 = 0n;
  for (let i: u64 = 0n; i < count; i++) {
    const d: ptr = MAP + i * Desc.$size;
    if (out > 0n) {
      const p: ptr = MAP + (out - 1n) * Desc.$size;
      if (load32(p + Desc.type) == load32(d + Desc.type) && load64(p + Desc.phys) + load64(p + Desc.pages) * 4096n == load64(d + Desc.phys)) {
        store64(p + Desc.pages, load64(p + Desc.pages) + load64(d + Desc.pages));
        continue;
      }
    }
    if (out != i) swap(MAP + out * Desc.$size, d);
    out++;
  }
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < out; i++) {
    const d: ptr = MAP + i * Desc.$size;
    h = h * 31n + u64(load32(d + Desc.type));
    h = h * 31n + load64(d + Desc.phys);
    h = h * 31n + load64(d + Desc.pages);
  }
  return Desc.$size * 1000n + out + (h << 16n);
}
