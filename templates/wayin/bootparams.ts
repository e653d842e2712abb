// The x86-64 way in: a wrapped image entered at +0x200 with rsi = the boot_params (the
// zero page) that kexec-tools or kexec_file_load built. Fills the handoff block from
// them: the e820 map and SETUP_E820_EXT, the command line, the initrd, the ACPI RSDP
// and SMBIOS (boot_params, SETUP_EFI, the firmware's tables), the RNG seed and the
// console. Everything the loader placed is taken memory. Offsets: Linux's
// Documentation/arch/x86/zero-page.rst and asm/bootparam.h.
import { u16, u32, u64, type ptr } from '../rt/types.ts';
import { load8, load16, load32, load64, store8, store64, struct, ascii, guid } from '../rt/intrinsics.ts';
import { Handoff, HANDOFF_FLAG_PLATFORM_SECURE_BOOT } from '../handoff.ts';
import { fail } from '../fail.ts';
import { sameGuid } from '../guid.ts';
import { hbBlock, hbRegion, hbCmdline, hbSeed, CMDLINE_MAX, REGION_TAKEN } from './build.ts';
import { wrapBegin, wrapPassesCmdline } from './wrap.ts';
import { fwMap, fwPhys, fwConfigTables, E820_USABLE } from './fwefi.ts';
import { cmdlineConsole } from './cmdline-console.ts';

const ZERO_PAGE: u64 = 0x1000n;
const BP_ACPI_RSDP: u64 = 0x070n;
const BP_EXT_RAMDISK_IMAGE: u64 = 0x0c0n;
const BP_EXT_RAMDISK_SIZE: u64 = 0x0c4n;
const BP_EXT_CMD_LINE_PTR: u64 = 0x0c8n;
const BP_EFI_INFO: u64 = 0x1c0n;
const BP_SECURE_BOOT: u64 = 0x1ecn;
const BP_E820_ENTRIES: u64 = 0x1e8n;
/** boot_params.secure_boot: Linux's efi_secureboot_mode_enabled. */
const SECURE_BOOT_ENABLED: u64 = 3n;
const BP_HEADER: u64 = 0x202n;
const BP_RAMDISK_IMAGE: u64 = 0x218n;
const BP_RAMDISK_SIZE: u64 = 0x21cn;
const BP_CMD_LINE_PTR: u64 = 0x228n;
const BP_SETUP_DATA: u64 = 0x250n;
const BP_E820_TABLE: u64 = 0x2d0n;
/** "HdrS" at 0x202, read as two halves: 0x202 is only 2-aligned. */
const HDRS_LO: u16 = 0x6448n;
const HDRS_HI: u16 = 0x5372n;
const EfiInfo = struct({
  signature: u32, systab: u32, descSize: u32, descVersion: u32, memmap: u32, memmapSize: u32, systabHi: u32, memmapHi: u32,
});
const EL64: u32 = 0x3436_4c45n; // "EL64": a 64-bit firmware
/** struct setup_data; the node's data follows the header. */
const SetupData = struct({ next: u64, type: u32, len: u32 });
/** struct efi_setup_data, as far as we read it (8 reserved words follow). */
const EfiSetupData = struct({ fwVendor: u64, runtime: u64, tables: u64, smbios: u64 });
const SETUP_E820_EXT: u32 = 1n;
const SETUP_EFI: u32 = 4n;
const SETUP_RNG_SEED: u32 = 9n;
/** struct boot_e820_entry: u64 addr, u64 size, u32 type; 20 bytes, so only 4-aligned. */
const E820_ENTRY: u64 = 20n;
const E820_MAX: u64 = 128n;
/** More than the handoff block holds: a longer SETUP_E820_EXT is not one a loader wrote. */
const E820_EXT_MAX: u64 = 256n;
/** Linux's E820_TYPE_RESERVED_KERN: RAM the first kernel kept its own setup_data in. */
const E820_RESERVED_KERN: u32 = 128n;
/** Loaders write a handful of nodes; a longer chain is a loop or garbage. */
const MAX_NODES: u64 = 64n;
/** Loaders pass 32 bytes; anything near a page is not a seed. */
const SEED_MAX: u64 = 4096n;
/** System table fields (UEFI 2.10 §4.3, 64-bit) and the bound on the tables we read. */
const ST_TABLE_COUNT: u64 = 0x68n;
const ST_TABLES: u64 = 0x70n;
const TABLE_ENTRY: u64 = 24n;
const MAX_TABLES: u64 = 256n;
/** Linux's EFI_INVALID_TABLE_ADDR: SETUP_EFI's smbios when the firmware has no SMBIOS 2 table. */
const INVALID_TABLE: u64 = 0xffff_ffff_ffff_ffffn;
const ACPI_10_TABLE_GUID = guid('eb9d2d30-2d88-11d3-9a16-0090273fc14d');

const E_BOOT_PARAMS = ascii('boot_params: no zero page (rsi is 0, unaligned, or no HdrS setup header) at');
const E_E820_COUNT = ascii('boot_params: more e820 entries than the zero page holds (128):');
const E_E820_EXT = ascii('boot_params: SETUP_E820_EXT longer than the handoff block holds, entries');
const E_NO_RAM = ascii('boot_params: no usable RAM in the e820 map of the zero page at');
const E_CHAIN = ascii('boot_params: setup_data chain longer than 64 nodes (a loop?), at');
const E_NODE = ascii('boot_params: setup_data node not 8-aligned, at');
const E_EFI_SETUP = ascii('boot_params: SETUP_EFI node too short, length');
const E_SEED = ascii('boot_params: SETUP_RNG_SEED longer than 4096 bytes, length');
const E_CMDLINE = ascii('boot_params: command line without a NUL in its first 4096 bytes, at');
const E_WRAPS = ascii('boot_params: a range the loader placed runs past the top of memory, at');

/** What the walks found: reset on every entry (a reader may run more than once on the host). */
let usable: u64 = 0n;
let efiTables: u64 = 0n;
let efiSmbios: u64 = 0n;
let cmdline: ptr = 0n;
let cmdlineLen: u64 = 0n;

/** Reads the zero page at `bp` for the wrapped image at `base`; returns the handoff block. */
export function wayinBootParams(bp: ptr, base: ptr): ptr {
  const h: ptr = wrapBegin(base);
  zeroPage(bp);
  e820(bp + BP_E820_TABLE, u64(load8(bp + BP_E820_ENTRIES)));
  setupChain(load64(bp + BP_SETUP_DATA));
  if (usable == 0n) fail(E_NO_RAM, bp);
  commandLine(bp, base);
  initrd(bp, h);
  firmware(bp, h);
  // The first boot's Secure Boot state, where the loader copied it (kexec_file_load does).
  if (u64(load8(bp + BP_SECURE_BOOT)) == SECURE_BOOT_ENABLED) store64(h + Handoff.flags, HANDOFF_FLAG_PLATFORM_SECURE_BOOT);
  // Read even when a UKI's own .cmdline wins: it still names the machine's UART.
  if (load32(h + Handoff.consoleKind) == 0n) cmdlineConsole(cmdline, cmdlineLen);
  return h;
}

/** Checks that `bp` is a zero page at all, forgets earlier runs, and takes its page. */
function zeroPage(bp: ptr): void {
  if (bp == 0n || (bp & 7n) != 0n) fail(E_BOOT_PARAMS, bp);
  if (load16(bp + BP_HEADER) != HDRS_LO || load16(bp + BP_HEADER + 2n) != HDRS_HI) fail(E_BOOT_PARAMS, bp);
  usable = 0n;
  efiTables = 0n;
  efiSmbios = 0n;
  cmdline = 0n;
  cmdlineLen = 0n;
  taken(bp, ZERO_PAGE);
}

/** A range the loader placed: kept as boot-services data, never offered as free memory. */
function taken(addr: u64, size: u64): void {
  if (addr + size < addr) fail(E_WRAPS, addr);
  hbRegion(addr, size, E820_USABLE, REGION_TAKEN);
}

/** A 64-bit field split in two 32-bit halves at `lo` and `hi` (the ext_ fields). */
function split(p: ptr, lo: u64, hi: u64): u64 {
  return u64(load32(p + lo)) | (u64(load32(p + hi)) << 32n);
}

/** The zero page's own e820 table: at most 128 entries. */
function e820(table: ptr, n: u64): void {
  if (n > E820_MAX) fail(E_E820_COUNT, n);
  e820Entries(table, n);
}

/** `n` e820 entries at `p` (4-aligned: each u64 read as two words), types as given. */
function e820Entries(p: ptr, n: u64): void {
  for (let i: u64 = 0n; i < n; i++) {
    const e: ptr = p + i * E820_ENTRY;
    const size: u64 = split(e, 8n, 12n);
    let type: u32 = load32(e + 16n);
    if (type == E820_RESERVED_KERN) type = E820_USABLE; // Linux treats it as RAM too
    if (type == E820_USABLE && size != 0n) usable++;
    hbRegion(split(e, 0n, 4n), size, type, 0n);
  }
}

/** The setup_data chain: every node is taken; E820_EXT, EFI and RNG_SEED are read. */
function setupChain(first: ptr): void {
  let node: ptr = first;
  for (let i: u64 = 0n; node != 0n; i++) {
    if (i == MAX_NODES) fail(E_CHAIN, node);
    if ((node & 7n) != 0n) fail(E_NODE, node);
    const len: u64 = u64(load32(node + SetupData.len));
    taken(node, SetupData.$size + len);
    setupNode(load32(node + SetupData.type), node + SetupData.$size, len);
    node = load64(node + SetupData.next);
  }
}

function setupNode(type: u32, data: ptr, len: u64): void {
  if (type == SETUP_E820_EXT) {
    if (len / E820_ENTRY > E820_EXT_MAX) fail(E_E820_EXT, len / E820_ENTRY);
    e820Entries(data, len / E820_ENTRY);
  } else if (type == SETUP_EFI) {
    if (len < EfiSetupData.$size) fail(E_EFI_SETUP, len);
    efiTables = load64(data + EfiSetupData.tables);
    efiSmbios = load64(data + EfiSetupData.smbios);
  } else if (type == SETUP_RNG_SEED) {
    if (len > SEED_MAX) fail(E_SEED, len);
    hbSeed(data, len);
    for (let i: u64 = 0n; i < len; i++) store8(data + i, 0n); // as Linux: a seed is used once
  }
}

/** The NUL-terminated command line: taken, and passed on unless the payload's own wins. */
function commandLine(bp: ptr, base: ptr): void {
  const p: ptr = split(bp, BP_CMD_LINE_PTR, BP_EXT_CMD_LINE_PTR);
  if (p == 0n) return;
  let n: u64 = 0n;
  while (n <= CMDLINE_MAX && load8(p + n) != 0n) n++;
  if (n > CMDLINE_MAX) fail(E_CMDLINE, p);
  taken(p, n + 1n);
  if (wrapPassesCmdline(base)) hbCmdline(p, n);
  cmdline = p;
  cmdlineLen = n;
}

function initrd(bp: ptr, h: ptr): void {
  const size: u64 = split(bp, BP_RAMDISK_SIZE, BP_EXT_RAMDISK_SIZE);
  if (size == 0n) return;
  const addr: u64 = split(bp, BP_RAMDISK_IMAGE, BP_EXT_RAMDISK_IMAGE);
  taken(addr, size);
  store64(h + Handoff.initrdAddr, addr);
  store64(h + Handoff.initrdSize, size);
}

/**
 * The ACPI RSDP and SMBIOS entry point: acpi_rsdp_addr and SETUP_EFI's smbios when the
 * loader gave them, else the firmware's configuration tables, which are read only then.
 */
function firmware(bp: ptr, h: ptr): void {
  const ei: ptr = bp + BP_EFI_INFO;
  const isEfi: boolean = load32(ei + EfiInfo.signature) == EL64;
  const map: ptr = isEfi ? split(ei, EfiInfo.memmap, EfiInfo.memmapHi) : 0n;
  const mapSize: u64 = map != 0n ? u64(load32(ei + EfiInfo.memmapSize)) : 0n;
  taken(map, mapSize);
  fwMap(map, mapSize, mapSize != 0n ? u64(load32(ei + EfiInfo.descSize)) : 0n);
  const rsdp: u64 = load64(bp + BP_ACPI_RSDP);
  const smbios: u64 = efiSmbios != INVALID_TABLE ? efiSmbios : 0n;
  if (isEfi && (rsdp == 0n || smbios == 0n)) configTables(split(ei, EfiInfo.systab, EfiInfo.systabHi));
  if (rsdp != 0n) store64(h + Handoff.acpiRsdp, rsdp);
  if (smbios != 0n) store64(h + Handoff.smbios, smbios);
}

/**
 * The tables of the system table at `st` (physical). SETUP_EFI gives their physical
 * address; the system table's own pointer may be virtual after SetVirtualAddressMap and
 * is translated through the runtime map the loader copied.
 */
function configTables(st: ptr): void {
  if (st == 0n || (st & 7n) != 0n) return;
  const tables: ptr = efiTables != 0n && efiTables != INVALID_TABLE ? efiTables : fwPhys(load64(st + ST_TABLES));
  const n: u64 = load64(st + ST_TABLE_COUNT);
  fwConfigTables(tables, n);
  if (load64(hbBlock() + Handoff.acpiRsdp) == 0n) acpi10(tables, n);
}

/** A firmware with only an ACPI 1.0 RSDP: Linux takes that one too. */
function acpi10(tables: ptr, n: u64): void {
  if ((tables & 7n) != 0n) return;
  const count: u64 = n < MAX_TABLES ? n : MAX_TABLES;
  for (let i: u64 = 0n; i < count; i++) {
    const e: ptr = tables + i * TABLE_ENTRY;
    if (sameGuid(e, ACPI_10_TABLE_GUID)) store64(hbBlock() + Handoff.acpiRsdp, load64(e + 16n));
  }
}
