// The UEFI memory map: a sorted table of page ranges, each with a memory type. Every
// allocation or free splits entries at its edges, retypes the range, and merges
// neighbours that became alike, so GetMemoryMap always returns the smallest exact map.
// The map key changes with every change, which ExitBootServices checks.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, load64, store32, store64, struct, zeroed } from './rt/intrinsics.ts';
import {
  EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_BUFFER_TOO_SMALL, EFI_OUT_OF_RESOURCES, EFI_NOT_FOUND,
  EfiConventionalMemory, EfiMaxMemoryType, EfiReservedMemoryType, EfiPersistentMemory,
  AllocateAnyPages, AllocateMaxAddress, AllocateAddress, EFI_PAGE_SIZE,
} from './efi.ts';

/** One entry of our table. */
const Entry = struct({ type: u32, pad: u32, start: u64, pages: u64, attr: u64 });
/** EFI_MEMORY_DESCRIPTOR as GetMemoryMap writes it, padded to 48 bytes as EDK2 does. */
const Desc = struct({ type: u32, pad: u32, physicalStart: u64, virtualStart: u64, numberOfPages: u64, attribute: u64, spare: u64 });
export const DESCRIPTOR_SIZE: u64 = 48n;
export const DESCRIPTOR_VERSION: u32 = 1n;

const MAX_ENTRIES: u64 = 512n;
const TABLE = zeroed(MAX_ENTRIES * 32n);
let count: u64 = 0n;
let mapKey: u64 = 1n;

function at(i: u64): ptr {
  return TABLE + i * Entry.$size;
}

function startOf(i: u64): u64 {
  return load64(at(i) + Entry.start);
}

function endOf(i: u64): u64 {
  return load64(at(i) + Entry.start) + load64(at(i) + Entry.pages) * EFI_PAGE_SIZE;
}

function typeOf(i: u64): u32 {
  return load32(at(i) + Entry.type);
}

export function mmReset(): void {
  count = 0n;
  mapKey = mapKey + 1n;
}

export function mmCount(): u64 {
  return count;
}

export function mmKey(): u64 {
  return mapKey;
}

function setEntry(i: u64, type: u32, start: u64, pages: u64, attr: u64): void {
  store32(at(i) + Entry.type, type);
  store64(at(i) + Entry.start, start);
  store64(at(i) + Entry.pages, pages);
  store64(at(i) + Entry.attr, attr);
}

/** Opens a gap at index i by moving entries i.. one place up. */
function insertAt(i: u64): boolean {
  if (count >= MAX_ENTRIES) return false;
  for (let j: u64 = count; j > i; j--) {
    setEntry(j, typeOf(j - 1n), startOf(j - 1n), load64(at(j - 1n) + Entry.pages), load64(at(j - 1n) + Entry.attr));
  }
  count++;
  return true;
}

function removeAt(i: u64): void {
  for (let j: u64 = i; j + 1n < count; j++) {
    setEntry(j, typeOf(j + 1n), startOf(j + 1n), load64(at(j + 1n) + Entry.pages), load64(at(j + 1n) + Entry.attr));
  }
  count--;
}

/** Makes `addr` an entry boundary by splitting the entry that straddles it. */
function splitAt(addr: u64): boolean {
  for (let i: u64 = 0n; i < count; i++) {
    if (startOf(i) < addr && addr < endOf(i)) {
      if (!insertAt(i + 1n)) return false;
      const end: u64 = endOf(i);
      store64(at(i) + Entry.pages, (addr - startOf(i)) / EFI_PAGE_SIZE);
      setEntry(i + 1n, typeOf(i), addr, (end - addr) / EFI_PAGE_SIZE, load64(at(i) + Entry.attr));
      return true;
    }
  }
  return true;
}

/** Joins neighbours of the same type and attributes that touch. */
function merge(): void {
  let i: u64 = 1n;
  while (i < count) {
    const alike: boolean = typeOf(i) == typeOf(i - 1n) && load64(at(i) + Entry.attr) == load64(at(i - 1n) + Entry.attr);
    if (alike && endOf(i - 1n) == startOf(i)) {
      store64(at(i - 1n) + Entry.pages, load64(at(i - 1n) + Entry.pages) + load64(at(i) + Entry.pages));
      removeAt(i);
    } else i++;
  }
}

/**
 * Adds RAM or a reservation. Ranges already in the map are retyped instead, so the
 * firmware's own regions can be laid over the machine's RAM in any order.
 */
export function mmAdd(start: u64, pages: u64, type: u32, attr: u64): u64 {
  if (pages == 0n || start % EFI_PAGE_SIZE != 0n || type >= EfiMaxMemoryType) return EFI_INVALID_PARAMETER;
  const end: u64 = start + pages * EFI_PAGE_SIZE;
  for (let i: u64 = 0n; i < count; i++) {
    if (startOf(i) < end && start < endOf(i)) return retype(start, pages, type, attr, true) ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
  }
  let i: u64 = 0n;
  while (i < count && startOf(i) < start) i++;
  if (!insertAt(i)) return EFI_OUT_OF_RESOURCES;
  setEntry(i, type, start, pages, attr);
  merge();
  mapKey++;
  return EFI_SUCCESS;
}

/** Gives [start, start + pages) the type `type` (and `attr` if `setAttr`), wherever it lies in the map. */
function retype(start: u64, pages: u64, type: u32, attr: u64, setAttr: boolean): boolean {
  const end: u64 = start + pages * EFI_PAGE_SIZE;
  if (!splitAt(start) || !splitAt(end)) return false;
  for (let i: u64 = 0n; i < count; i++) {
    if (startOf(i) >= start && endOf(i) <= end) {
      store32(at(i) + Entry.type, type);
      if (setAttr) store64(at(i) + Entry.attr, attr);
    }
  }
  merge();
  mapKey++;
  return true;
}

/** Pages of [start, end) that are free conventional memory. */
function freePagesIn(start: u64, end: u64): u64 {
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < count; i++) {
    if (typeOf(i) != EfiConventionalMemory) continue;
    const lo: u64 = startOf(i) > start ? startOf(i) : start;
    const hi: u64 = endOf(i) < end ? endOf(i) : end;
    if (lo < hi) n += (hi - lo) / EFI_PAGE_SIZE;
  }
  return n;
}

/** The highest page-aligned start of `pages` free pages ending at or below `limit`. */
function highestFit(pages: u64, limit: u64): u64 {
  const size: u64 = pages * EFI_PAGE_SIZE;
  for (let i: u64 = count; i > 0n; i--) {
    if (typeOf(i - 1n) != EfiConventionalMemory) continue;
    const end: u64 = endOf(i - 1n) < limit ? endOf(i - 1n) : limit;
    if (end >= startOf(i - 1n) + size) return end - size;
  }
  return 0xffff_ffff_ffff_ffffn;
}

/** AllocatePages: `addrPtr` holds the maximum or exact address in, the result out. */
export function mmAllocate(kind: u64, type: u32, pages: u64, addrPtr: ptr): u64 {
  const usable: boolean = type < EfiMaxMemoryType && type != EfiConventionalMemory && type != EfiPersistentMemory;
  if (!usable || pages == 0n || addrPtr == 0n) return EFI_INVALID_PARAMETER;
  let start: u64 = 0n;
  if (kind == AllocateAddress) {
    start = load64(addrPtr);
    if (start % EFI_PAGE_SIZE != 0n) return EFI_INVALID_PARAMETER;
    if (freePagesIn(start, start + pages * EFI_PAGE_SIZE) != pages) return EFI_NOT_FOUND;
  } else if (kind == AllocateAnyPages || kind == AllocateMaxAddress) {
    // MaxAddress is inclusive: the allocation may end at max + 1, which wraps for ~0.
    const max: u64 = kind == AllocateAnyPages ? 0xffff_ffff_ffff_efffn : load64(addrPtr);
    const limit: u64 = max >= 0xffff_ffff_ffff_efffn ? 0xffff_ffff_ffff_f000n : (max + 1n) & 0xffff_ffff_ffff_f000n;
    start = highestFit(pages, limit);
    if (start == 0xffff_ffff_ffff_ffffn) return EFI_OUT_OF_RESOURCES;
  } else return EFI_INVALID_PARAMETER;
  if (!retype(start, pages, type, 0n, false)) return EFI_OUT_OF_RESOURCES;
  store64(addrPtr, start);
  return EFI_SUCCESS;
}

/** FreePages: the whole range must be allocated memory (not free, not reserved). */
export function mmFree(start: u64, pages: u64): u64 {
  if (start % EFI_PAGE_SIZE != 0n || pages == 0n) return EFI_INVALID_PARAMETER;
  const end: u64 = start + pages * EFI_PAGE_SIZE;
  let covered: u64 = 0n;
  for (let i: u64 = 0n; i < count; i++) {
    const t: u32 = typeOf(i);
    const lo: u64 = startOf(i) > start ? startOf(i) : start;
    const hi: u64 = endOf(i) < end ? endOf(i) : end;
    if (lo >= hi) continue;
    if (t == EfiConventionalMemory || t == EfiReservedMemoryType) return EFI_NOT_FOUND;
    covered += (hi - lo) / EFI_PAGE_SIZE;
  }
  if (covered != pages) return EFI_NOT_FOUND;
  return retype(start, pages, EfiConventionalMemory, 0n, false) ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

/** GetMemoryMap, with the size probe: a short buffer gets the size it needs. */
export function mmGetMap(sizePtr: ptr, map: ptr, keyPtr: ptr, descSizePtr: ptr, versionPtr: ptr): u64 {
  if (sizePtr == 0n) return EFI_INVALID_PARAMETER;
  const need: u64 = count * DESCRIPTOR_SIZE;
  const have: u64 = load64(sizePtr);
  store64(sizePtr, need);
  if (descSizePtr != 0n) store64(descSizePtr, DESCRIPTOR_SIZE);
  if (versionPtr != 0n) store32(versionPtr, DESCRIPTOR_VERSION);
  if (have < need) return EFI_BUFFER_TOO_SMALL;
  if (map == 0n) return EFI_INVALID_PARAMETER;
  for (let i: u64 = 0n; i < count; i++) {
    const d: ptr = map + i * DESCRIPTOR_SIZE;
    store32(d + Desc.type, typeOf(i));
    store32(d + Desc.pad, 0n);
    store64(d + Desc.physicalStart, startOf(i));
    store64(d + Desc.virtualStart, 0n);
    store64(d + Desc.numberOfPages, load64(at(i) + Entry.pages));
    store64(d + Desc.attribute, load64(at(i) + Entry.attr));
    store64(d + Desc.spare, 0n);
  }
  if (keyPtr != 0n) store64(keyPtr, mapKey);
  return EFI_SUCCESS;
}
