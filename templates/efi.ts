// UEFI constants shared by the emulator's modules: status codes and memory types
// (UEFI 2.10 §7.2 and Appendix D).
import { u32, u64 } from './rt/types.ts';

export const EFI_SUCCESS: u64 = 0n;
export const EFI_LOAD_ERROR: u64 = 0x8000_0000_0000_0001n;
export const EFI_INVALID_PARAMETER: u64 = 0x8000_0000_0000_0002n;
export const EFI_UNSUPPORTED: u64 = 0x8000_0000_0000_0003n;
export const EFI_BUFFER_TOO_SMALL: u64 = 0x8000_0000_0000_0005n;
export const EFI_OUT_OF_RESOURCES: u64 = 0x8000_0000_0000_0009n;
export const EFI_NOT_READY: u64 = 0x8000_0000_0000_0006n;
export const EFI_NOT_FOUND: u64 = 0x8000_0000_0000_000en;
export const EFI_ALREADY_STARTED: u64 = 0x8000_0000_0000_0014n;

export const EfiReservedMemoryType: u32 = 0n;
export const EfiLoaderCode: u32 = 1n;
export const EfiLoaderData: u32 = 2n;
export const EfiBootServicesCode: u32 = 3n;
export const EfiBootServicesData: u32 = 4n;
export const EfiRuntimeServicesCode: u32 = 5n;
export const EfiRuntimeServicesData: u32 = 6n;
export const EfiConventionalMemory: u32 = 7n;
export const EfiUnusableMemory: u32 = 8n;
export const EfiACPIReclaimMemory: u32 = 9n;
export const EfiACPIMemoryNVS: u32 = 10n;
export const EfiMemoryMappedIO: u32 = 11n;
export const EfiMemoryMappedIOPortSpace: u32 = 12n;
export const EfiPalCode: u32 = 13n;
export const EfiPersistentMemory: u32 = 14n;
export const EfiMaxMemoryType: u32 = 16n;

export const AllocateAnyPages: u64 = 0n;
export const AllocateMaxAddress: u64 = 1n;
export const AllocateAddress: u64 = 2n;

/** EFI_MEMORY_WB: RAM is mapped write-back cacheable. */
export const EFI_MEMORY_WB: u64 = 0x8n;
/** EFI_MEMORY_UC: uncached, for MMIO. */
export const EFI_MEMORY_UC: u64 = 0x1n;
/** EFI_MEMORY_RUNTIME: the OS keeps the range mapped for runtime services. */
export const EFI_MEMORY_RUNTIME: u64 = 0x8000_0000_0000_0000n;

export const EFI_PAGE_SIZE: u64 = 0x1000n;
