// CalculateCrc32 (UEFI 2.10 §7.5). CopyMem and SetMem are the copyMem/setMem
// intrinsics: assembly in stubs-asm/<arch>/memops.s, since the EFI stub copies whole
// kernels with them.
import { u32, u64, type ptr } from './rt/types.ts';
import { load8, store32 } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER } from './efi.ts';

/** The CRC-32 UEFI uses (IEEE 802.3, reflected, polynomial 0xEDB88320). */
export function crc32(data: ptr, n: u64): u32 {
  let crc: u32 = 0xffff_ffffn;
  for (let i: u64 = 0n; i < n; i++) {
    crc ^= u32(load8(data + i));
    for (let b: u32 = 0n; b < 8n; b++) crc = (crc & 1n) != 0n ? (crc >> 1n) ^ 0xedb8_8320n : crc >> 1n;
  }
  return crc ^ 0xffff_ffffn;
}

/** CalculateCrc32 as a boot service: the result through a pointer. */
export function calculateCrc32(data: ptr, n: u64, crcPtr: ptr): u64 {
  if (data == 0n || n == 0n || crcPtr == 0n) return EFI_INVALID_PARAMETER;
  store32(crcPtr, crc32(data, n)); // the Crc32 out-parameter is a UINT32
  return EFI_SUCCESS;
}
