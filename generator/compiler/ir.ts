// The compiler's intermediate representation: a small stack machine. The front end
// lowers checked TypeScript to a list of these per function; each back end maps every
// op to a few instructions. Correct before clever: an accumulator A, a second operand
// B, and an explicit value stack give each back end one obvious translation.
//
// Machine model shared by all back ends:
//   A      the accumulator: every expression leaves its value here, as 64 bits,
//          already normalised to its type (zero- or sign-extended from its width).
//   B      second operand, set only by `pop`.
//   stack  the value stack: `push` saves A; the front end tracks its depth, so every op
//          knows it (`depth`, counted in values) where the back end needs it.
//   slots  a function's locals and parameters: numbered 64-bit cells in its frame.

/** Access widths in bytes. */
export type Width = 1 | 2 | 4 | 8;

export type BinOp =
  | 'add' | 'sub' | 'mul'
  | 'udiv' | 'sdiv' | 'urem' | 'srem' // by zero: undefined; INT64_MIN / -1 wraps (INT64_MIN, remainder 0)
  | 'and' | 'or' | 'xor'
  | 'shl' | 'lshr' | 'ashr'; // shift count is B op A with A masked to 0..63 by the back end

export type Cond = 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge' | 'slt' | 'sle' | 'sgt' | 'sge';

/** The condition that holds exactly when `c` does not. */
export const NEGATE: Record<Cond, Cond> = {
  eq: 'ne', ne: 'eq', ult: 'uge', uge: 'ult', ule: 'ugt', ugt: 'ule', slt: 'sge', sge: 'slt', sle: 'sgt', sgt: 'sle',
};

/**
 * A value that a fused op reads by itself, without the accumulator or the value stack:
 * the peephole pass (peephole.ts) folds `push; <one of these>; pop` into the op after it.
 */
export type Operand =
  | { kind: 'imm'; value: bigint }
  | { kind: 'slot'; slot: number }
  | { kind: 'global'; symbol: string } // address of a data symbol
  | { kind: 'func'; symbol: string }; // address of a function

/** A call argument that is not on the value stack: an operand, or A itself ('acc'). */
export type ArgSource = Operand | { kind: 'acc' };

export type Op =
  | { op: 'imm'; value: bigint } // A = value (two's complement, 64 bits)
  | { op: 'slot.load'; slot: number } // A = slot
  | { op: 'slot.store'; slot: number } // slot = A (A unchanged)
  | { op: 'param'; index: number; slot: number } // prologue only: slot = incoming argument `index`
  | { op: 'addr.global'; symbol: string } // A = address of a data symbol (PC-relative)
  | { op: 'addr.func'; symbol: string } // A = address of a function (PC-relative)
  // A = memory[A + offset], extended to 64 bits; offset (peephole.ts): 0 ≤ offset < 2^31.
  // With `symbol` (peephole.ts), the address is that data symbol + offset and A is not read.
  | { op: 'load'; width: Width; signed: boolean; offset?: number; symbol?: string }
  | { op: 'store'; width: Width } // memory[B] = low `width` bytes of A (A unchanged)
  | { op: 'push' } // stack.push(A)
  | { op: 'pop' } // B = stack.pop()
  | { op: 'drop'; count: number } // discard `count` values from the stack
  | { op: 'bin'; kind: BinOp } // A = B kind A, 64-bit; the front end normalises after
  | { op: 'cmp'; cond: Cond } // A = (B cond A) ? 1 : 0
  | { op: 'ext'; width: Width; signed: boolean } // A = low `width` bytes of A, zero/sign extended
  | { op: 'neg' } // A = -A
  | { op: 'not' } // A = ~A
  | { op: 'label'; name: string }
  | { op: 'jump'; target: string }
  | { op: 'jz'; target: string } // if A == 0 goto target
  | { op: 'jnz'; target: string }
  // args: the last `argc` stack values, arg 0 deepest; pops them; A = result. With `tail`,
  // the last tail.length arguments come from those sources instead (at most one 'acc').
  // `compiled`: the callee is a function of this program, which never writes its caller's
  // stack (so x86-64 may omit the shadow space); otherwise (stubs) the full convention.
  | { op: 'call'; symbol: string; argc: number; tail?: ArgSource[]; compiled?: boolean }
  | { op: 'call.ptr'; argc: number } // like call, through the function address in A
  | { op: 'ret' } // return A to the caller (through the epilogue)
  // Fused forms (peephole.ts): fewer trips through the value stack.
  | { op: 'bin.r'; kind: BinOp; rhs: Operand } // A = A kind rhs (B unspecified afterwards)
  | { op: 'cmp.r'; cond: Cond; rhs: Operand } // A = (A cond rhs) ? 1 : 0
  | { op: 'jcmp'; cond: Cond; target: string } // if (B cond A) goto target; A unchanged
  | { op: 'jcmp.r'; cond: Cond; rhs: Operand; target: string } // if (A cond rhs) goto target; A unchanged
  // if (slot cond value) goto target; A unspecified afterwards (peephole.ts: only where A is dead)
  | { op: 'jcmp.s'; cond: Cond; slot: number; value: bigint; target: string }
  // memory[A + offset] = low `width` bytes of rhs (A unchanged); offset: 0 ≤ offset < 2^31
  | { op: 'store.r'; width: Width; rhs: Operand; offset?: number }
  // memory[addr + offset] = low `width` bytes of A (A unchanged); offset: 0 ≤ offset < 2^31
  | { op: 'store.a'; width: Width; addr: Operand; offset?: number }
  // slot = value / slot += value (64-bit wrap-around); A unspecified afterwards (peephole.ts: only where A is dead)
  | { op: 'slot.set'; slot: number; value: bigint }
  | { op: 'slot.add'; slot: number; value: bigint };

/** How an op changes the value-stack depth (pushes minus pops). */
export function stackEffect(op: Op): number {
  switch (op.op) {
    case 'push': return 1;
    case 'pop': return -1;
    case 'drop': return -op.count;
    case 'call': return -(op.argc - (op.tail?.length ?? 0));
    case 'call.ptr': return -op.argc;
    default: return 0;
  }
}

/** Every op carries where it came from, for the listing and diagnostics. */
export interface Located {
  line: number; // 1-based line in `Func.file`
  depth: number; // value-stack depth *before* the op
}

export type Instr = Op & Located;

export interface Func {
  name: string; // assembler symbol; labels in `body` are unique across the whole unit
  file: string; // source file, project-relative
  params: number; // incoming arguments
  slots: number; // locals + parameters, 8 bytes each
  maxDepth: number; // deepest value stack the body reaches
  body: Instr[];
}

/** Module data: bytes, aligned, at a symbol (globals, constant tables, strings, GUIDs). */
export interface Datum {
  symbol: string;
  align: number;
  bytes: Uint8Array;
  /** Never holds absolute addresses: pointer tables are filled at run time by code. */
  writable: boolean;
  /**
   * All zero (zeroed()): placed after the file image, like .bss, so it costs memory
   * but no bytes in the blob; kexec zero-fills a segment beyond its file bytes.
   */
  zero?: boolean;
  /**
   * A function table (fntable()): one 32-bit entry per function, its offset from the
   * datum's own address, which no relocation can break; `bytes` are that many zeros.
   */
  fns?: string[];
}

export interface Program {
  funcs: Func[];
  data: Datum[];
}

/**
 * The contract every back end implements (generator/compiler/backends/<arch>.ts).
 * The emitted assembly is keystone-compatible text; each line may end in a `// file:line`
 * comment so the listing maps instructions back to TypeScript.
 */
export interface Backend {
  /** Assembly for one function: prologue, body, epilogue. */
  emitFunc(f: Func): string[];
  /**
   * The whole program's code (every emitFunc's lines, in order), rewritten across
   * functions where that saves bytes (arm64: a shared constant pool, PC-relative loads
   * from the program's data, whose alignment `data` gives).
   */
  finishCode?(code: string[], data: Datum[]): string[];
  /** Assembly for the data section (after all code). */
  emitData(d: Datum[]): string[];
  /**
   * Hosted start-up for `compile --run` under Linux user mode: `_start` calls `main`
   * with no arguments, writes its result in decimal (signed if `signed`) and a newline
   * to stdout with the write syscall, and exits with status 0.
   */
  hostedStart(main: string, signed: boolean): string[];
}
