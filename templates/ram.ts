// The memory map at boot: the machine's regions from the handoff block, then the
// ranges that are already taken laid over them (the blob, the handoff block and the
// segments the loader placed), so that only free, mapped RAM is ever handed out.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, load64, struct, ascii } from './rt/intrinsics.ts';
import { Handoff } from './handoff.ts';
import { mmReset, mmAdd } from './memmap.ts';
import { fail } from './fail.ts';
import {
  EFI_SUCCESS, EFI_MEMORY_WB, EFI_MEMORY_UC, EFI_MEMORY_RUNTIME, EFI_PAGE_SIZE,
  EfiConventionalMemory, EfiReservedMemoryType, EfiACPIReclaimMemory, EfiACPIMemoryNVS,
  EfiUnusableMemory, EfiPersistentMemory, EfiRuntimeServicesCode, EfiBootServicesData,
} from './efi.ts';

/** One handoff region: e820 numbering (docs/handoff.md). */
export const Region = struct({ base: u64, size: u64, type: u32, flags: u32 });
export const E820_USABLE: u32 = 1n;
export const E820_RESERVED: u32 = 2n;
/** Region flag: data the loader placed lies here (docs/handoff.md); kept until ExitBootServices. */
export const REGION_TAKEN: u32 = 1n;
export const E820_ACPI: u32 = 3n;
export const E820_NVS: u32 = 4n;
export const E820_UNUSABLE: u32 = 5n;
export const E820_PERSISTENT: u32 = 7n;

const BAD_REGION = ascii('memory map: cannot add handoff region at');
const BAD_RESERVE = ascii('memory map: cannot reserve range at');

/** The EFI memory type of an e820 region type; unknown types stay reserved. */
export function efiType(e820: u32): u32 {
  if (e820 == E820_USABLE) return EfiConventionalMemory;
  if (e820 == E820_ACPI) return EfiACPIReclaimMemory;
  if (e820 == E820_NVS) return EfiACPIMemoryNVS;
  if (e820 == E820_UNUSABLE) return EfiUnusableMemory;
  if (e820 == E820_PERSISTENT) return EfiPersistentMemory;
  return EfiReservedMemoryType;
}

/** The address of handoff region `i`. */
export function regionAt(h: ptr, i: u64): ptr {
  return h + load64(h + Handoff.regionsOffset) + i * Region.$size;
}

export function regionCount(h: ptr): u64 {
  return u64(load32(h + Handoff.regionCount));
}

function pageDown(a: u64): u64 {
  return a & ~(EFI_PAGE_SIZE - 1n);
}

function pageUp(a: u64): u64 {
  return (a + EFI_PAGE_SIZE - 1n) & ~(EFI_PAGE_SIZE - 1n);
}

/**
 * Adds one region. Usable RAM shrinks to whole pages inside it; everything else grows
 * to whole pages around it, so a partial page is never handed out.
 */
function addRegion(r: ptr): void {
  const type: u32 = efiType(load32(r + Region.type));
  const base: u64 = load64(r + Region.base);
  const end: u64 = base + load64(r + Region.size);
  const lo: u64 = type == EfiConventionalMemory ? pageUp(base) : pageDown(base);
  const hi: u64 = type == EfiConventionalMemory ? pageDown(end) : pageUp(end);
  if (hi <= lo) return;
  const attr: u64 = type == EfiReservedMemoryType ? EFI_MEMORY_UC : EFI_MEMORY_WB;
  if (mmAdd(lo, (hi - lo) / EFI_PAGE_SIZE, type, attr) != EFI_SUCCESS) fail(BAD_REGION, base);
}

/** Marks [addr, addr + size) as `type`, whatever it was. */
export function reserve(addr: u64, size: u64, type: u32, attr: u64): void {
  if (size == 0n) return;
  const lo: u64 = pageDown(addr);
  const hi: u64 = pageUp(addr + size);
  if (mmAdd(lo, (hi - lo) / EFI_PAGE_SIZE, type, attr) != EFI_SUCCESS) fail(BAD_RESERVE, addr);
}

/**
 * Builds the map: every handoff region, then the ranges flagged taken, then the blob (runtime code: the runtime
 * services table and functions live in it, so the next kernel keeps it mapped) and the
 * loader's segments, which boot services own until ExitBootServices.
 */
export function ramInit(h: ptr, blobStart: ptr, blobEnd: ptr): void {
  mmReset();
  const n: u64 = regionCount(h);
  for (let i: u64 = 0n; i < n; i++) {
    const r: ptr = regionAt(h, i);
    if ((load32(r + Region.flags) & REGION_TAKEN) == 0n) addRegion(r);
  }
  for (let i: u64 = 0n; i < n; i++) {
    const r: ptr = regionAt(h, i);
    if ((load32(r + Region.flags) & REGION_TAKEN) != 0n) reserve(load64(r + Region.base), load64(r + Region.size), EfiBootServicesData, EFI_MEMORY_WB);
  }
  reserve(blobStart, blobEnd - blobStart, EfiRuntimeServicesCode, EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
  reserve(h, u64(load32(h + Handoff.size)), EfiBootServicesData, EFI_MEMORY_WB);
  const image: u64 = load64(h + Handoff.imageSize);
  const owned: u64 = u64(load32(h + Handoff.imagePages)) * EFI_PAGE_SIZE;
  reserve(load64(h + Handoff.imageAddr), owned > image ? owned : image, EfiBootServicesData, EFI_MEMORY_WB);
  reserve(load64(h + Handoff.initrdAddr), load64(h + Handoff.initrdSize), EfiBootServicesData, EFI_MEMORY_WB);
  reserve(load64(h + Handoff.dtbAddr), load64(h + Handoff.dtbSize), EfiBootServicesData, EFI_MEMORY_WB);
  reserve(load64(h + Handoff.cmdlineAddr), load64(h + Handoff.cmdlineSize), EfiBootServicesData, EFI_MEMORY_WB);
}
