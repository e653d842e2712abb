// The one record per architecture. Shared code asks the target; it never tests the
// architecture's name.
import type { AsmMode } from '../toolchain/assembler.ts';
import type { DisasmMode } from '../toolchain/disassembler.ts';
import type { ArchAudit } from '../audit/model.ts';

export type ArchName = 'arm64' | 'x86_64';

export interface Target {
  name: ArchName;
  /** PE/COFF machine number, also the blob header's arch field. */
  peMachine: number;
  /** ELF e_machine for purgatory.elf. */
  elfMachine: number;
  asm: AsmMode;
  disasm: DisasmMode;
  /** Stub file stems under stubs-asm/<name>/ holding code, in link order; the same on every arch. */
  codeStubs: readonly string[];
  /** Stub stems holding data; they follow the compiled code, so code stays aligned. */
  dataStubs: readonly string[];
  /** Stub stems holding zero-filled data only: after the file image, memory but no file bytes. */
  bssStubs: readonly string[];
  /**
   * The alignment directive that pads identically in keystone and GNU as: keystone's
   * arm64 ignores a fill byte (pads with NOPs), its x86 pads with other NOPs than GNU.
   */
  alignTo(log2: number): string;
  /** Alignment the blob needs at run time (page tables, vectors). */
  blobAlign: number;
  /**
   * How far the back end's and the stubs' pc-relative addressing reaches (arm64 `adr`:
   * 1 MiB; x86-64 rip-relative: 2 GiB): the blob's code, data and zero-filled data must
   * span less, or references across them would not reach.
   */
  pcReach: number;
  /** Bytes of stack the blob sets up right after its file image. */
  stackSize: number;
  /** Console baked in when --console is not given. */
  defaultConsole: string;
  /** Alignment the loader gives the kernel image segment. */
  imageAlign: number;
  /** Lowest address the planner uses: x86 keeps low memory for real-mode and BIOS data. */
  planFloor: number;
  /** How to run a Linux user-mode executable of this arch here (empty: natively). */
  userRunner: readonly string[];
  /** The kexec page size the planner aligns segments to. */
  pageSize: number;
  /** How `gen-purgatory audit` reads this architecture's instructions (generator/audit/<arch>.ts). */
  audit: ArchAudit;
  /** Machine code of an EFI entry that only returns EFI_UNSUPPORTED: a signed wrapper's PE entry. */
  efiUnsupportedEntry: readonly number[];
}

export const CODE_STUBS: readonly string[] = ['entry', 'console', 'runtime', 'power', 'vectors', 'mmu', 'memops'];
export const DATA_STUBS: readonly string[] = ['data'];
export const BSS_STUBS: readonly string[] = ['bss'];
/** What Linux user-mode test programs link with: the intrinsics, CopyMem/SetMem and a stdout console. */
export const HOSTED_STUBS: readonly string[] = ['runtime', 'hosted', 'memops'];
