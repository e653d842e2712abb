// The configuration table array (UEFI 2.10 §4.6) and InstallConfigurationTable: add,
// replace, and delete on NULL. The system table always points at this one array, so its
// address never changes; only the entry count does.
import { u64, type ptr } from './rt/types.ts';
import { load64, store16, store32, store64, struct, zeroed, guid } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_NOT_FOUND, EFI_OUT_OF_RESOURCES } from './efi.ts';
import { SystemTable, systemTable } from './systable.ts';
import { sameGuid, copyGuid } from './guid.ts';
import { tableCrc } from './tableheader.ts';

export const DEVICE_TREE_GUID = guid('b1b621d5-f19c-41a5-830b-d9152c69aae0');
export const ACPI_20_TABLE_GUID = guid('8868e871-e4f1-11d3-bc22-0080c73c8881');
export const SMBIOS_TABLE_GUID = guid('eb9d2d31-2d88-11d3-9a16-0090273fc14d');
export const SMBIOS3_TABLE_GUID = guid('f2fd1544-9794-4a2c-992e-e5bbcf20e394');
export const RT_PROPERTIES_TABLE_GUID = guid('eb66918a-7eef-402a-842e-931d21c38ae9');

/** EFI_CONFIGURATION_TABLE: the GUID's 16 bytes, then the table's address. */
const Entry = struct({ guid: u64, guidTail: u64, table: u64 });
const MAX_ENTRIES: u64 = 32n;
const ENTRIES = zeroed(MAX_ENTRIES * 24n, 64n);
let count: u64 = 0n;

/** EFI_RT_PROPERTIES_TABLE: version 1, 8 bytes, no runtime service usable after boot. */
const RT_PROPERTIES = zeroed(8n, 8n);

function entry(i: u64): ptr {
  return ENTRIES + i * Entry.$size;
}

/** Index of `g`, or MAX_ENTRIES. */
function find(g: ptr): u64 {
  for (let i: u64 = 0n; i < count; i++) if (sameGuid(entry(i) + Entry.guid, g)) return i;
  return MAX_ENTRIES;
}

function publish(): void {
  const st: ptr = systemTable();
  store64(st + SystemTable.numberOfTableEntries, count);
  store64(st + SystemTable.configurationTable, ENTRIES);
  tableCrc(st);
}

/** InstallConfigurationTable: GUIDs are 4-byte aligned, compared and copied as words. */
export function installConfigurationTable(g: ptr, table: ptr): u64 {
  if (g == 0n) return EFI_INVALID_PARAMETER;
  const i: u64 = find(g);
  if (table == 0n) {
    if (i == MAX_ENTRIES) return EFI_NOT_FOUND;
    for (let j: u64 = i; j + 1n < count; j++) {
      for (let w: u64 = 0n; w < Entry.$size; w += 8n) store64(entry(j) + w, load64(entry(j + 1n) + w));
    }
    count--;
  } else if (i != MAX_ENTRIES) store64(entry(i) + Entry.table, table);
  else {
    if (count == MAX_ENTRIES) return EFI_OUT_OF_RESOURCES;
    const e: ptr = entry(count);
    copyGuid(e + Entry.guid, g);
    store64(e + Entry.table, table);
    count++;
  }
  publish();
  return EFI_SUCCESS;
}

/** The table stored under `g`, or 0. */
export function configTable(g: ptr): ptr {
  const i: u64 = find(g);
  return i == MAX_ENTRIES ? 0n : load64(entry(i) + Entry.table);
}

/** An empty array plus the runtime-properties table every boot gets. */
export function configInit(): void {
  count = 0n;
  store16(RT_PROPERTIES, 1n);
  store16(RT_PROPERTIES + 2n, 8n);
  store32(RT_PROPERTIES + 4n, 0n);
  publish();
  installConfigurationTable(RT_PROPERTIES_TABLE_GUID, RT_PROPERTIES);
}
