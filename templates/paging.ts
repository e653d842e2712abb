// The identity map the emulator runs under and hands to the images it starts: every
// handoff region (write-back RAM, or device memory for reservations) plus the console.
// One radix-tree builder for both architectures: arm64 and x86_64 tables are both 512
// entries of 8 bytes per 4 KiB level; only the descriptor bits differ, and archParam
// supplies them.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, load64, store64, ascii, zeroed, struct, cacheClean, mmuEnable, setMem, archParam } from './rt/intrinsics.ts';
import {
  ARCH_PAGE_LEVELS, ARCH_PT_TABLE, ARCH_PT_BLOCK_RAM, ARCH_PT_BLOCK_DEVICE, ARCH_PT_PAGE_RAM,
  ARCH_PT_PAGE_DEVICE, ARCH_BLOCK_SHIFT_MAX, ARCH_PA_BITS,
} from './arch.ts';
import { mmAllocate, mmFree } from './memmap.ts';
import { fail } from './fail.ts';
import { Region, regionAt, regionCount, E820_RESERVED } from './ram.ts';
import { EFI_SUCCESS, EfiBootServicesData, AllocateAnyPages, EFI_PAGE_SIZE } from './efi.ts';

/** Table pages taken at once; the maps of real machines need a few dozen at most. */
const POOL_PAGES: u64 = 64n;
/** Bits 12..47 of a descriptor hold the output address on both architectures. */
const ADDR_MASK: u64 = 0x0000_ffff_ffff_f000n;
const OUT_OF_TABLES = ascii('page tables: more than 64 table pages needed for region at');
const NO_MEMORY = ascii('page tables: no memory for the tables, status');

let pool: ptr = 0n;
let used: u64 = 0n;
let levels: u64 = 4n;
let root: ptr = 0n;
/** Set when the pool ran out of table pages (1), so the walk stops. */
let exhausted: u64 = 0n;
/** Where AllocatePages writes the table pool's address. */
const SLOT = zeroed(8n);

function newTable(): ptr {
  if (used == POOL_PAGES) return 0n;
  const t: ptr = pool + used * EFI_PAGE_SIZE;
  used++;
  return t;
}

/** log2 of the bytes one entry covers at `depth` (0 is the root). */
function shiftAt(depth: u64): u64 {
  return 12n + 9n * (levels - 1n - depth);
}

function leafBits(depth: u64, device: boolean): u64 {
  if (depth == levels - 1n) return archParam(device ? ARCH_PT_PAGE_DEVICE : ARCH_PT_PAGE_RAM);
  return archParam(device ? ARCH_PT_BLOCK_DEVICE : ARCH_PT_BLOCK_RAM);
}

/** Whether an entry at `depth` may map [addr, addr + 2^shift) directly. */
function leafFits(depth: u64, addr: u64, end: u64): boolean {
  const shift: u64 = shiftAt(depth);
  if (depth == levels - 1n) return true;
  if (shift > archParam(ARCH_BLOCK_SHIFT_MAX)) return false;
  const size: u64 = u64(1n) << shift;
  return addr % size == 0n && end - addr >= size;
}

/**
 * The table an entry points to, made if the entry is empty; 0 when the entry is already a
 * leaf (an earlier region mapped these addresses: the first mapping stays) or tables ran
 * out (`exhausted` says which). Only our own entries are read, before the MMU walks them,
 * so a table entry holds exactly the table bits.
 */
function nextTable(entry: ptr): ptr {
  const cur: u64 = load64(entry);
  const tableBits: u64 = archParam(ARCH_PT_TABLE);
  if (cur != 0n) return (cur & 0xfffn) == (tableBits & 0xfffn) ? cur & ADDR_MASK : 0n;
  const t: ptr = newTable();
  if (t == 0n) {
    exhausted = 1n;
    return 0n;
  }
  setMem(t, EFI_PAGE_SIZE, 0n);
  store64(entry, t | tableBits);
  return t;
}

/** Maps [addr, end) below `table` at `depth`; returns false when tables ran out. */
function mapIn(table: ptr, depth: u64, addr: u64, end: u64, device: boolean): boolean {
  const shift: u64 = shiftAt(depth);
  let a: u64 = addr;
  while (a < end) {
    const size: u64 = u64(1n) << shift;
    const next: u64 = (a & ~(size - 1n)) + size;
    const stop: u64 = next < end ? next : end;
    const entry: ptr = table + ((a >> shift) & 511n) * 8n;
    if (leafFits(depth, a, stop) && load64(entry) == 0n) store64(entry, a | leafBits(depth, device));
    else if (depth < levels - 1n) {
      // A table made for an earlier, smaller region: fill in the rest of it.
      const t: ptr = nextTable(entry);
      if (exhausted != 0n || (t != 0n && !mapIn(t, depth + 1n, a, stop, device))) return false;
    }
    a = stop;
  }
  return true;
}

/** Identity-maps [addr, addr + size), whole pages, up to what the CPU can address. */
export function mapRange(addr: u64, size: u64, device: boolean): void {
  const top: u64 = u64(1n) << archParam(ARCH_PA_BITS);
  const lo: u64 = addr & ~(EFI_PAGE_SIZE - 1n);
  let hi: u64 = (addr + size + EFI_PAGE_SIZE - 1n) & ~(EFI_PAGE_SIZE - 1n);
  if (hi > top) hi = top;
  if (lo >= hi) return;
  if (!mapIn(root, 0n, lo, hi, device)) fail(OUT_OF_TABLES, addr);
}

/** The 32-byte console description the UART driver uses (docs/handoff.md). */
export const Console = struct({ kind: u32, space: u32, base: u64, shift: u32, width: u32, baud: u32, reserved: u32 });
const SPACE_MMIO: u32 = 0n;

/**
 * Builds the identity map of the handoff regions and the console `con`, switches to it, and
 * gives back the unused table pages. The tables stay boot services data: the images run
 * on them until they take over the MMU themselves.
 */
export function pagingInit(h: ptr, con: ptr): void {
  levels = archParam(ARCH_PAGE_LEVELS);
  used = 0n;
  exhausted = 0n;
  const status: u64 = mmAllocate(AllocateAnyPages, EfiBootServicesData, POOL_PAGES, SLOT);
  if (status != EFI_SUCCESS) fail(NO_MEMORY, status);
  pool = load64(SLOT);
  root = newTable();
  setMem(root, EFI_PAGE_SIZE, 0n);
  const n: u64 = regionCount(h);
  for (let i: u64 = 0n; i < n; i++) {
    const r: ptr = regionAt(h, i);
    mapRange(load64(r + Region.base), load64(r + Region.size), load32(r + Region.type) == E820_RESERVED);
  }
  if (load32(con + Console.kind) != 0n && load32(con + Console.space) == SPACE_MMIO) mapRange(load64(con + Console.base), EFI_PAGE_SIZE, true);
  if (used < POOL_PAGES) mmFree(pool + used * EFI_PAGE_SIZE, POOL_PAGES - used);
  cacheClean(pool, used * EFI_PAGE_SIZE);
  mmuEnable(root);
}
