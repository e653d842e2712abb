// What a first kernel booted by UEFI passes on about its firmware: the firmware's memory
// map (still intact: the first kernel kept it reserved) and its system table, whose
// configuration tables hold the ACPI RSDP and the SMBIOS entry point. The first kernel
// called SetVirtualAddressMap, so the table pointer may be virtual; the map's runtime
// entries translate it back.
import { u32, u64, type ptr } from '../rt/types.ts';
import { load32, load64, store64, struct } from '../rt/intrinsics.ts';
import { Handoff } from '../handoff.ts';
import { sameGuid } from '../guid.ts';
import { ACPI_20_TABLE_GUID, SMBIOS_TABLE_GUID, SMBIOS3_TABLE_GUID } from '../configtables.ts';
import {
  EFI_PAGE_SIZE, EFI_MEMORY_RUNTIME, EfiLoaderCode, EfiLoaderData, EfiBootServicesCode, EfiBootServicesData,
  EfiConventionalMemory, EfiACPIReclaimMemory, EfiACPIMemoryNVS, EfiUnusableMemory, EfiPersistentMemory,
  EfiMemoryMappedIO, EfiMemoryMappedIOPortSpace, EfiPalCode,
} from '../efi.ts';
import { hbBlock, hbRegion } from './build.ts';
import { E820_USABLE, E820_RESERVED, E820_ACPI, E820_NVS, E820_UNUSABLE, E820_PERSISTENT } from '../ram.ts';

const Desc = struct({ type: u32, pad: u32, physicalStart: u64, virtualStart: u64, pages: u64, attribute: u64 });
/** System table fields (UEFI 2.10 §4.3, 64-bit). */
const ST_TABLE_COUNT: u64 = 0x68n;
const ST_TABLES: u64 = 0x70n;
const TABLE_ENTRY: u64 = 24n;
/** Bounds on what we walk: a garbage count must not become a wild loop. */
const MAX_DESCS: u64 = 4096n;
const MAX_TABLES: u64 = 256n;

export { E820_USABLE, E820_RESERVED } from '../ram.ts';
/** Not memory: left out of the map. */
const SKIP: u32 = 0xffff_ffffn;

let mapStart: ptr = 0n;
let mapCount: u64 = 0n;
let mapDescSize: u64 = 0n;

/** The e820 type of an EFI memory type, as the running system may use it now. */
export function e820Of(efi: u32): u32 {
  if (efi == EfiLoaderCode || efi == EfiLoaderData || efi == EfiBootServicesCode
    || efi == EfiBootServicesData || efi == EfiConventionalMemory) return E820_USABLE;
  if (efi == EfiACPIReclaimMemory) return E820_ACPI;
  if (efi == EfiACPIMemoryNVS) return E820_NVS;
  if (efi == EfiUnusableMemory) return E820_UNUSABLE;
  if (efi == EfiPersistentMemory) return E820_PERSISTENT;
  if (efi == EfiMemoryMappedIO || efi == EfiMemoryMappedIOPortSpace || efi == EfiPalCode) return SKIP;
  return E820_RESERVED; // reserved, runtime services code and data, unknown
}

/** Remembers the firmware's map for fwRegions and fwPhys. */
export function fwMap(start: ptr, size: u64, descSize: u64): void {
  mapStart = start;
  mapDescSize = descSize;
  mapCount = descSize >= Desc.$size && (descSize & 7n) == 0n && (start & 7n) == 0n ? size / descSize : 0n;
  if (mapCount > MAX_DESCS) mapCount = MAX_DESCS;
}

/** Adds the map's regions; with `usableToo` false only what is not usable RAM (kdump). */
export function fwRegions(usableToo: boolean): u64 {
  for (let i: u64 = 0n; i < mapCount; i++) {
    const d: ptr = mapStart + i * mapDescSize;
    const type: u32 = e820Of(load32(d + Desc.type));
    if (type == SKIP || (type == E820_USABLE && !usableToo)) continue;
    hbRegion(load64(d + Desc.physicalStart), load64(d + Desc.pages) * EFI_PAGE_SIZE, type, 0n);
  }
  return mapCount;
}

/** The physical address of firmware pointer `p`, translated if it is a runtime virtual one. */
export function fwPhys(p: u64): u64 {
  for (let i: u64 = 0n; i < mapCount; i++) {
    const d: ptr = mapStart + i * mapDescSize;
    const virt: u64 = load64(d + Desc.virtualStart);
    const size: u64 = load64(d + Desc.pages) * EFI_PAGE_SIZE;
    if ((load64(d + Desc.attribute) & EFI_MEMORY_RUNTIME) == 0n || virt == 0n) continue;
    if (p >= virt && p - virt < size) return load64(d + Desc.physicalStart) + (p - virt);
  }
  return p;
}

/** Takes the ACPI RSDP and SMBIOS entry point from `n` configuration tables at `tables`. */
export function fwConfigTables(tables: ptr, n: u64): void {
  if ((tables & 7n) != 0n) return;
  const count: u64 = n < MAX_TABLES ? n : MAX_TABLES;
  const h: ptr = hbBlock();
  for (let i: u64 = 0n; i < count; i++) {
    const e: ptr = tables + i * TABLE_ENTRY;
    const table: u64 = load64(e + 16n);
    if (sameGuid(e, ACPI_20_TABLE_GUID)) store64(h + Handoff.acpiRsdp, table);
    if (sameGuid(e, SMBIOS3_TABLE_GUID)) store64(h + Handoff.smbios, table);
    if (sameGuid(e, SMBIOS_TABLE_GUID) && load64(h + Handoff.smbios) == 0n) store64(h + Handoff.smbios, table);
  }
}

/** The same, from the firmware system table at physical address `st`. */
export function fwSystemTable(st: ptr): void {
  if (st == 0n || (st & 7n) != 0n) return;
  fwConfigTables(fwPhys(load64(st + ST_TABLES)), load64(st + ST_TABLE_COUNT));
}
