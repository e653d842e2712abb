// What the emulator asks the architecture through archParam(i): the one place where
// arm64 and x86_64 differ for shared code. stubs-asm/<arch>/mmu.s answers (rt_archParam),
// some from constants, some from the running CPU (paging depth, address size, EL).
import { u64 } from './rt/types.ts';

/** The PE/COFF machine number images must carry (0xaa64, 0x8664). */
export const ARCH_PE_MACHINE: u64 = 0n;
/** Translation table levels in use: 4, or 5 with x86 LA57. */
export const ARCH_PAGE_LEVELS: u64 = 1n;
/** Descriptor bits of an entry that points to the next-level table. */
export const ARCH_PT_TABLE: u64 = 2n;
/** Descriptor bits of a block (2 MiB or 1 GiB) of RAM: write-back cacheable. */
export const ARCH_PT_BLOCK_RAM: u64 = 3n;
/** Descriptor bits of a block of MMIO: Device-nGnRE / uncached, never executed. */
export const ARCH_PT_BLOCK_DEVICE: u64 = 4n;
/** Descriptor bits of a last-level 4 KiB page of RAM. */
export const ARCH_PT_PAGE_RAM: u64 = 5n;
/** Descriptor bits of a last-level 4 KiB page of MMIO. */
export const ARCH_PT_PAGE_DEVICE: u64 = 6n;
/** log2 of the largest block the tables may use (30 for 1 GiB, 21 for 2 MiB). */
export const ARCH_BLOCK_SHIFT_MAX: u64 = 7n;
/** Physical address bits the CPU implements: nothing above is mapped. */
export const ARCH_PA_BITS: u64 = 8n;
/** The exception level we run at (arm64: 1 or 2; x86: 0). */
export const ARCH_EL: u64 = 9n;
