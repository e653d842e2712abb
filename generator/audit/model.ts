// The audit's view of a blob: every instruction with the source line it came from, the
// symbols and the header figures, whether it was just built (layout) or read back from
// an output directory (listing, manifest, bin). Everything the audit reports is computed
// from this record, so both ways give the same answers. The architecture's part is an
// ArchAudit (generator/audit/<arch>.ts), which the target record names.

/** One decoded instruction of the blob. */
export interface AuditInsn {
  offset: number;
  size: number;
  /** capstone's mnemonic and operand text. */
  mnemonic: string;
  operands: string;
  /** The templates/*.ts or stubs-asm/*.s line it came from. */
  file: string;
  line: number;
  /** Raw bytes, for position-normalised comparison. */
  bytes: Uint8Array;
}

/** A data directive's source text (fntable entries name functions: `.long f - table`). */
export interface AuditData {
  offset: number;
  text: string;
}

export interface AuditBlob {
  arch: string;
  fileSize: number;
  memSize: number;
  entryOffset: number;
  wayinOffset: number;
  /** Label name to offset; several names may share an offset. */
  symbols: Map<string, number>;
  insns: AuditInsn[];
  data: AuditData[];
}

/** How an instruction moves the stack pointer; depths grow as the stack grows. */
export type SpEffect =
  | { kind: 'none' }
  | { kind: 'adjust'; bytes: number } // sp -= bytes (push, sub sp, pre-index store)
  | { kind: 'align'; bytes: number } // sp rounded down: at most `bytes` more
  | { kind: 'saveFp' } // frame register := sp
  | { kind: 'fromFp'; pop: number } // sp := frame register, then `pop` bytes popped (leave)
  | { kind: 'set' }; // sp := a value not derived from sp: a stack switch

/** Where control goes after an instruction. */
export type Flow =
  | { kind: 'next' }
  | { kind: 'branch'; target: number; conditional: boolean }
  | { kind: 'call'; target: number }
  | { kind: 'callIndirect' }
  | { kind: 'jumpIndirect' }
  | { kind: 'ret' }
  | { kind: 'stop' }; // never continues (eret, far return): the path ends here

/** A memory access: base register and constant displacement. */
export interface MemAccess {
  base: string;
  offset: number;
  store: boolean;
}

/** Facts about one instruction that the shared passes need. */
export interface InsnFacts {
  flow: Flow;
  sp: SpEffect;
  /** An address computed PC-relatively (adr, lea rip): a reference to code or data. */
  ref?: number;
  /** Any address the instruction forms from its own position (adr, literal loads, rip-relative). */
  pcrel?: number;
  mem?: MemAccess;
  /** Registers written and read, by their 64-bit names. */
  writes: string[];
  reads: string[];
  /** Writes the frame register (x29 / rbp) with something other than sp. */
  clobbersFp: boolean;
  /** `dst = src + imm` (add with an immediate; mov between registers has imm 0), for stack tops. */
  add?: { dst: string; src: string; imm: number };
  /** An immediate moved into `writes[0]` (mov/movz/movk, mov imm), for constant tracking. */
  constant?: { value: bigint; keep?: { shift: number } };
}

/** A stub routine's stack behaviour the walk cannot see from its instructions alone. */
export type StackRole =
  /** Runs an indirect callee on a stack its caller supplies, then returns on its own. */
  | 'switch'
  /** Restores a stack pointer saved earlier and returns through it. */
  | 'unwind';

/** A place the CPU starts running without a call: entries and exception vectors. */
export interface AuditRoot {
  symbol: string;
  stack: 'blob' | 'exception';
  /** Bytes already on the stack when it starts (x86-64 exceptions: the CPU's frame). */
  entryDepth: number;
}

/** A privileged or machine-state instruction, as the architecture names it. */
export interface Privileged {
  kind: string;
  /** The system register, port, MSR, function ID… when known. */
  detail: string;
}

/** The architecture's part of the audit; one per target, same shape. */
export interface ArchAudit {
  facts(i: AuditInsn): InsnFacts;
  /** Whether the instruction touches machine state; `regs` holds known constants of the block. */
  privileged(i: AuditInsn, regs: ReadonlyMap<string, bigint>, taint: ReadonlySet<string>): Privileged | undefined;
  /** Roots besides the header's two entries. */
  roots: readonly AuditRoot[];
  /** Stub routines whose stack switching the walk takes on trust (documented in docs/audit.md). */
  stackRoles: Readonly<Record<string, StackRole>>;
  /** Size of the emergency stack exceptions run on (the lowest bytes of the blob stack). */
  exceptionStack: number;
  /** The register that holds the stack pointer, as capstone names it. */
  sp: string;
  /** Bytes a call pushes before the callee runs (x86-64: the return address). */
  returnAddress: number;
}
