// EFI_TABLE_HEADER (UEFI 2.10 §4.2): signature, revision, size and a CRC32 over the
// whole table taken with the CRC field zero. Every table we publish starts with one.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, store32, store64, struct, fnfill } from './rt/intrinsics.ts';
import { crc32 } from './memops.ts';

export const TableHeader = struct({ signature: u64, revision: u32, headerSize: u32, crc32: u32, reserved: u32 });
/** We implement the subset of UEFI 2.10 that PE kernels use, and say 2.10. */
export const EFI_REVISION: u32 = (2n << 16n) | 100n;

/** Writes the header of the `size`-byte table at `t`. */
export function tableHeader(t: ptr, signature: u64, size: u64): void {
  store64(t + TableHeader.signature, signature);
  store32(t + TableHeader.revision, EFI_REVISION);
  store32(t + TableHeader.headerSize, u32(size));
  store32(t + TableHeader.reserved, 0n);
  tableCrc(t);
}

/** Recomputes the CRC after a change to the table. */
export function tableCrc(t: ptr): void {
  store32(t + TableHeader.crc32, 0n);
  store32(t + TableHeader.crc32, crc32(t, u64(load32(t + TableHeader.headerSize))));
}

/**
 * A services table of `size` bytes at `t`: the header, then one pointer per function of
 * the fntable `services`, in its order (the spec's).
 */
export function servicesTable(t: ptr, signature: u64, size: u64, services: ptr): void {
  fnfill(t + TableHeader.$size, services, (size - TableHeader.$size) / 8n);
  tableHeader(t, signature, size);
}
