// AllocatePool and FreePool (UEFI 2.10 §7.2). Correct before clever: every pool block
// gets pages of its own, from the memory map, with a small header in front recording
// how many; blocks are 8-byte aligned as the spec requires (16 here). The EFI stub
// makes few pool allocations, so the page granularity costs little.
import { u32, u64, type ptr } from './rt/types.ts';
import { load64, store64 } from './rt/intrinsics.ts';
import { mmAllocate, mmFree } from './memmap.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EfiConventionalMemory, EfiMaxMemoryType, AllocateAnyPages, EFI_PAGE_SIZE } from './efi.ts';

const POOL_MAGIC: u64 = 0x4c4f4f50_4750n; // "GPPOOL"
const HEADER: u64 = 16n;

/** AllocatePool: `*bufferPtr` receives a block of `size` bytes of memory type `type`. */
export function poolAllocate(type: u32, size: u64, bufferPtr: ptr): u64 {
  if (bufferPtr == 0n || type == EfiConventionalMemory || type >= EfiMaxMemoryType) return EFI_INVALID_PARAMETER;
  const pages: u64 = (size + HEADER + EFI_PAGE_SIZE - 1n) / EFI_PAGE_SIZE;
  const status: u64 = mmAllocate(AllocateAnyPages, type, pages, bufferPtr);
  if (status != EFI_SUCCESS) return status;
  const base: ptr = load64(bufferPtr);
  store64(base, POOL_MAGIC);
  store64(base + 8n, pages);
  store64(bufferPtr, base + HEADER);
  return EFI_SUCCESS;
}

/** FreePool: only blocks AllocatePool handed out, each once. */
export function poolFree(buffer: ptr): u64 {
  if (buffer < HEADER || buffer % EFI_PAGE_SIZE != HEADER) return EFI_INVALID_PARAMETER;
  const base: ptr = buffer - HEADER;
  if (load64(base) != POOL_MAGIC) return EFI_INVALID_PARAMETER;
  const status: u64 = mmFree(base, load64(base + 8n));
  if (status == EFI_SUCCESS) store64(base, 0n);
  return status == EFI_SUCCESS ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
}
