// The handoff block layout, version 1 (docs/handoff.md). One table feeds both the
// TypeScript builder and the `.equ` lines every stub is assembled with.
import type { ConsoleChoice } from './console.ts';

export const HANDOFF_MAGIC = 0x464f444e41485047n; // "GPHANDOF" read as a little-endian u64
export const HANDOFF_VERSION = 1;

/** Byte offsets of the fixed part of the handoff block. */
export const HO = {
  MAGIC: 0x00, VERSION: 0x08, SIZE: 0x0c, FLAGS: 0x10,
  IMAGE_ADDR: 0x18, IMAGE_SIZE: 0x20,
  INITRD_ADDR: 0x28, INITRD_SIZE: 0x30,
  DTB_ADDR: 0x38, DTB_SIZE: 0x40,
  CMDLINE_ADDR: 0x48, CMDLINE_SIZE: 0x50,
  ACPI_RSDP: 0x58, SMBIOS: 0x60,
  CONSOLE: 0x68, PSCI: 0x88, IMAGE_PAGES: 0x8c,
  RNG_SEED: 0x90,
  REGION_COUNT: 0xb0, REGION_MAX: 0xb4, REGIONS_OFFSET: 0xb8,
  DIGEST_COUNT: 0xc0, DIGESTS_OFFSET: 0xc8,
  FIXED_SIZE: 0xd0,
} as const;

/** Offsets inside the 32-byte console description. */
export const CON = { KIND: 0, SPACE: 4, BASE: 8, SHIFT: 16, WIDTH: 20, BAUD: 24, SIZE: 32 } as const;
export const CONSOLE_KIND = { none: 0, pl011: 1, '16550': 2 } as const;
export const CONSOLE_SPACE = { mmio: 0, io: 1 } as const;
export const PSCI = { none: 0, hvc: 1, smc: 2 } as const;

/** One memory region entry: u64 base, u64 size, u32 type (e820 numbering), u32 flags. */
export const REGION_SIZE = 24;
/** One payload check: u64 address, u64 size, u64 FNV-1a-64, 24 bytes reserved (docs/handoff.md). */
export const DIGEST_SIZE = 48;
export const RNG_SEED_SIZE = 32;

/** The wrapped image (docs/wrap.md): where the record and the blob sit in the loaded part. */
export const WRAP_MAGIC = 0x4e49504152575047n; // "GPWRAPIN" read as a little-endian u64
export const WRAP_TRAILER_MAGIC = 0x444e504152575047n; // "GPWRAPND"
export const WRAP_VERSION = 1;
export const WRAP_RECORD_OFFSET = 0x100;
export const WRAP_ENTRY_X86_OFFSET = 0x200;
export const WRAP_BLOB_OFFSET = 0x1000;
export const WRAP_TRAILER_SIZE = 16;
/** Flags of the wrap record: bit 1 says a trust list follows the payload (docs/secure-boot.md). */
export const WRAP_FLAG = { ukiCmdline: 1, trust: 2 } as const;
/** Byte offsets inside the wrap record; TRUST and TRUST_SIZE are 0 without a trust list. */
export const WR = {
  MAGIC: 0x00, VERSION: 0x08, FLAGS: 0x0c, BLOB: 0x10, PAYLOAD: 0x18, PAYLOAD_SIZE: 0x20,
  PAYLOAD_PAGES: 0x28, CHECK: 0x30, LOADED_SIZE: 0x38, CONSOLE: 0x40, TRUST: 0x60, TRUST_SIZE: 0x68, SIZE: 0x70,
} as const;
/**
 * The PE form a wrapper made with --trust takes (docs/wrap.md): headers up to
 * WRAP_PE_HEADERS, one section from there to the end of the loaded part, an EFI entry
 * at WRAP_PE_ENTRY of the loaded part, and room for the signature sbsign appends.
 */
export const WRAP_PE_HEADERS = 0x400;
export const WRAP_PE_ALIGN = 0x200;
export const WRAP_PE_ENTRY = 0x400;
export const WRAP_SIGNATURE_ROOM = 0x10000;

/** The assembler equates for the layout, so stubs name fields instead of numbers. */
export function layoutEquates(): [string, bigint | number][] {
  return [
    ['HANDOFF_MAGIC', HANDOFF_MAGIC],
    ['HANDOFF_VERSION', HANDOFF_VERSION],
    ...Object.entries(HO).map(([k, v]): [string, number] => [`HO_${k}`, v]),
    ...Object.entries(CON).map(([k, v]): [string, number] => [`CON_${k}`, v]),
    ['CONSOLE_NONE', CONSOLE_KIND.none],
    ['CONSOLE_PL011', CONSOLE_KIND.pl011],
    ['CONSOLE_16550', CONSOLE_KIND['16550']],
    ['SPACE_MMIO', CONSOLE_SPACE.mmio],
    ['SPACE_IO', CONSOLE_SPACE.io],
    ['PSCI_NONE', PSCI.none],
    ['PSCI_HVC', PSCI.hvc],
    ['PSCI_SMC', PSCI.smc],
    ['WRAP_RECORD_OFFSET', WRAP_RECORD_OFFSET],
    ['WRAP_BLOB_OFFSET', WRAP_BLOB_OFFSET],
    ...Object.entries(WR).map(([k, v]): [string, number] => [`WR_${k}`, v]),
  ];
}

/** A console choice as the numbers the 32-byte description holds. */
export interface ConsoleFields { kind: number; space: number; base: bigint; shift: number; width: number; baud: number }

export function consoleFields(c: ConsoleChoice): ConsoleFields {
  if (c.kind === 'none') return { kind: CONSOLE_KIND.none, space: 0, base: 0n, shift: 0, width: 0, baud: 0 };
  return {
    kind: CONSOLE_KIND[c.kind], space: CONSOLE_SPACE[c.space], base: c.base,
    shift: c.regShift, width: c.regWidth, baud: c.baud ?? 0,
  };
}

/** Writes the 32-byte console description of `c` at byte `at` of `dv`; nothing for none given (kind 0). */
export function writeConsole(dv: DataView, at: number, c: ConsoleChoice | undefined): void {
  if (!c) return;
  const f = consoleFields(c);
  dv.setUint32(at + CON.KIND, f.kind, true);
  dv.setUint32(at + CON.SPACE, f.space, true);
  dv.setBigUint64(at + CON.BASE, f.base, true);
  dv.setUint32(at + CON.SHIFT, f.shift, true);
  dv.setUint32(at + CON.WIDTH, f.width, true);
  dv.setUint32(at + CON.BAUD, f.baud, true);
}

/** The built-in console as assembler equates (data.s lays them out). */
export function consoleEquates(c: ConsoleChoice): [string, bigint | number][] {
  const f = consoleFields(c);
  return [
    ['CONSOLE_KIND', f.kind], ['CONSOLE_SPACE', f.space], ['CONSOLE_BASE', f.base],
    ['CONSOLE_SHIFT', f.shift], ['CONSOLE_WIDTH', f.width], ['CONSOLE_BAUD', f.baud],
  ];
}
