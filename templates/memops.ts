// CopyMem, SetMem and CalculateCrc32 (UEFI 2.10 §7.5). CopyMem handles overlap in both
// directions; both move 8 bytes at a time when source and destination allow it, since
// the EFI stub copies whole kernels with them.
import { u8, u32, u64, type ptr } from './rt/types.ts';
import { load8, load64, store8, store32, store64 } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER } from './efi.ts';

/** Copies `n` bytes from `src` to `dst`; the ranges may overlap. */
export function copyMem(dst: ptr, src: ptr, n: u64): void {
  if (n == 0n || dst == src) return;
  const words: boolean = ((dst | src) & 7n) == 0n;
  if (dst < src || dst >= src + n) {
    let i: u64 = 0n;
    if (words) for (; i + 8n <= n; i += 8n) store64(dst + i, load64(src + i));
    for (; i < n; i++) store8(dst + i, load8(src + i));
    return;
  }
  // dst overlaps the tail of src: copy backwards, the unaligned tail first.
  let i: u64 = n;
  if (words) {
    for (; (i & 7n) != 0n; i--) store8(dst + i - 1n, load8(src + i - 1n));
    for (; i >= 8n; i -= 8n) store64(dst + i - 8n, load64(src + i - 8n));
  }
  for (; i > 0n; i--) store8(dst + i - 1n, load8(src + i - 1n));
}

/** Fills `n` bytes at `dst` with `value`. */
export function setMem(dst: ptr, n: u64, value: u8): void {
  let i: u64 = 0n;
  if ((dst & 7n) == 0n) {
    const word: u64 = u64(value) * 0x0101_0101_0101_0101n;
    for (; i + 8n <= n; i += 8n) store64(dst + i, word);
  }
  for (; i < n; i++) store8(dst + i, value);
}

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
