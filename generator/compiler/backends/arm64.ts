// The AArch64 back end: every IR op becomes a few fixed instructions (the table OPS),
// with named functions for the ops that need arithmetic on their operands (calls,
// parameters, slots, immediates). Registers: A = x0, B = x1, scratch x9/x10, x16 for
// call.ptr targets; only caller-saved registers plus x30, which the prologue saves
// (with x29, unchanged), so every function is an ordinary AAPCS64 function that UEFI
// code can call.
//
// Frame, from high to low addresses (S: the slot area, 8 bytes a slot rounded to 16;
// F: the frame base, SP at value-stack depth 0):
//   [F + 0x10 + S …]      incoming stack arguments 8, 9, … (8 bytes each; their parameters' slots)
//   [F + 0x10 + 8*i]      slot i
//   [F], [F + 8]          saved x29, x30 (x29 is not made a frame pointer)
//   …                     value stack: 16 bytes per value, so SP stays 16-aligned
// No register holds F: every op knows its value-stack depth d, so F = SP + 0x10*d and
// slots are addressed from SP (`sp` below: the bytes from SP up to F at that point).
// A leaf (calls nothing) saves no record, so its slots start at F; without slots it has no frame at all.
//
// All numbers are written in hex: keystone and checkNumbers() reject decimals ≥ 10.
import { GenError } from '../../errors.ts';
import { shareEpilogues } from './arm64-exit.ts';
import { literalLoads, shareConstants } from './arm64-pool.ts';
import { stackEffect, type ArgSource, type Backend, type BinOp, type Cond, type Datum, type Func, type Instr, type Op, type Operand, type Width } from '../ir.ts';

/** Instruction text for one op, before formatting and location comments. */
type Emit<K extends Op['op']> = (i: Extract<Instr, { op: K }>, f: Func) => string[];
type OpTable = { [K in Op['op']]: Emit<K> };

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** Largest value an add/sub immediate holds without a shift. */
const IMM12 = 0xfff;
/** Bytes of the frame record (saved x29, x30) at the bottom of the frame. */
const RECORD = 0x10;
/** Largest offset of an 8-byte ldr/str [base, #imm] (a scaled 12-bit immediate). */
const SCALED_MAX = 0x7ff8;
/** Largest frame stp/ldp can allocate and free by themselves (a scaled 7-bit immediate). */
const PAIR_MAX = 0x1f0;
/** Bytes per value-stack entry: one x register padded so SP stays 16-aligned. */
const STACK_CELL = 0x10;
/** Arguments passed in x0–x7; the rest go on the stack. */
const REG_ARGS = 8;

const roundUp16 = (n: number): number => (n + 0xf) & ~0xf;

/** movz/movn + movk for any 64-bit constant, skipping chunks the first one already set. */
export function movImm(reg: string, value: bigint): string[] {
  const v = BigInt.asUintN(64, value);
  const chunks = [0, 1, 2, 3].map((k) => Number((v >> BigInt(0x10 * k)) & 0xffffn));
  const ones = chunks.filter((c) => c === 0xffff).length;
  const zeros = chunks.filter((c) => c === 0).length;
  const inverted = ones > zeros; // movn fills the other chunks with ones
  const fill = inverted ? 0xffff : 0;
  const out: string[] = [];
  chunks.forEach((c, k) => {
    if (c === fill) return;
    const shift = k ? `, lsl #${hex(0x10 * k)}` : '';
    if (out.length) out.push(`movk ${reg}, #${hex(c)}${shift}`);
    else out.push(inverted ? `movn ${reg}, #${hex(~c & 0xffff)}${shift}` : `movz ${reg}, #${hex(c)}${shift}`);
  });
  if (!out.length) out.push(inverted ? `movn ${reg}, #0x0` : `movz ${reg}, #0x0`);
  // one run of ones (such as 2^63 | 3, a status code) is a logical immediate: one orr
  return out.length > 1 && oneRun(v) ? [`orr ${reg}, xzr, #${hex(v)}`] : out;
}

/** dst = src ± n for a non-negative n of any size (x9 holds large constants). */
function addConst(op: 'add' | 'sub', dst: string, src: string, n: number): string[] {
  if (n === 0) return dst === src ? [] : [`mov ${dst}, ${src}`];
  if (n <= IMM12) return [`${op} ${dst}, ${src}, #${hex(n)}`];
  return [...movImm('x9', BigInt(n)), `${op} ${dst}, ${src}, x9`];
}

/**
 * Slots bound to stack-passed parameters (index ≥ 8): slot → index. Such a slot stays
 * where the argument arrived, above the frame (the callee may write it, as C compilers'
 * code does), so the prologue copies nothing; its cell in the slot area goes unused.
 */
function stackParams(f: Func): Map<number, number> {
  let m = stackParamCache.get(f);
  if (!m) {
    m = new Map(f.body.flatMap((i) => (i.op === 'param' && i.index >= REG_ARGS ? [[i.slot, i.index] as [number, number]] : [])));
    stackParamCache.set(f, m);
  }
  return m;
}
const stackParamCache = new WeakMap<Func, Map<number, number>>();

/** Loads or stores `reg` at slot `slot` (x9 is the address when the offset does not fit). */
function slotAccess(f: Func, kind: 'ldr' | 'str', reg: string, slot: number, sp = 0): string[] {
  if (!Number.isInteger(slot) || slot < 0 || slot >= f.slots) throw new GenError(`${f.file}: ${f.name}: slot ${slot} outside 0..${f.slots - 1}`);
  const arg = stackParams(f).get(slot);
  const off = sp + record(f) + (arg === undefined ? 8 * slot : frameSize(f) + 8 * (arg - REG_ARGS));
  if (off <= SCALED_MAX) return [`${kind} ${reg}, [sp, #${hex(off)}]`];
  return [...addConst('add', 'x9', 'sp', off), `${kind} ${reg}, [x9]`];
}

/** The frame's slot area in bytes: slots are 8 bytes, rounded so SP stays 16-aligned. */
const frameSize = (f: Func): number => roundUp16(8 * f.slots);

/** A function that calls nothing: x29/x30 stay as they came, so it saves no frame record. */
const leaf = (f: Func): boolean => !f.body.some((i) => i.op === 'call' || i.op === 'call.ptr');

/** Bytes of the frame record: none in a leaf. */
const record = (f: Func): number => (leaf(f) ? 0 : RECORD);

/** A leaf without slots needs no frame (values stacked at a ret are popped by the ret). */
const frameless = (f: Func): boolean => f.slots === 0 && leaf(f);

/**
 * The frame record and the slot area in one pre-indexed store when the offset fits; a
 * leaf only moves SP (paramLines folds that into its first parameter store).
 */
function prologue(f: Func): string[] {
  const size = frameSize(f);
  if (frameless(f)) return [];
  if (leaf(f)) return addConst('sub', 'sp', 'sp', size);
  if (RECORD + size <= PAIR_MAX) return [`stp x29, x30, [sp, #-${hex(RECORD + size)}]!`];
  return [...addConst('sub', 'sp', 'sp', size), 'stp x29, x30, [sp, #-0x10]!'];
}

/** The one copy of the epilogue, after the body: rets branch to it with SP at the frame base. */
function epilogue(f: Func): string[] {
  const size = frameSize(f);
  if (frameless(f)) return ['ret'];
  if (leaf(f)) return [...addConst('add', 'sp', 'sp', size), 'ret'];
  if (RECORD + size <= PAIR_MAX) return [`ldp x29, x30, [sp], #${hex(RECORD + size)}`, 'ret'];
  return ['ldp x29, x30, [sp], #0x10', ...addConst('add', 'sp', 'sp', size), 'ret'];
}

/** Saves register argument `index` (x0–x7) to its slot; a stack argument's slot is where it arrived. */
function param(i: Extract<Instr, { op: 'param' }>, f: Func): string[] {
  return i.index < REG_ARGS ? slotAccess(f, 'str', `x${i.index}`, i.slot) : [];
}

/** reg = operand (x9 may serve as a slot's address). */
function operand(f: Func, reg: string, x: Operand, sp: number): string[] {
  switch (x.kind) {
    case 'imm': return movImm(reg, x.value);
    case 'slot': return slotAccess(f, 'ldr', reg, x.slot, sp);
    default: return [`adr ${reg}, ${x.symbol}`];
  }
}

/**
 * Moves the arguments to where AAPCS64 wants them: x0–x7, then an 8-byte-per-argument
 * area at SP, then branches with `branch` and pops the stacked ones. The first `stacked`
 * arguments are the top stack values (arg 0 deepest); the rest come from `tail`. An
 * argument in A (x0) moves first, to its register or to x11; then the stacked register
 * arguments (popped as they load when all arguments go in registers), then the tail's;
 * the stack area is built last, through x10. `into`'s sp: where SP is, in bytes, below
 * the value stack's top at the call (negative once stacked arguments were popped).
 */
function marshal(f: Func, argc: number, tail: ArgSource[], branch: string, depth: number): string[] {
  const stacked = argc - tail.length;
  const valueAt = (arg: number): number => STACK_CELL * (stacked - 1 - arg);
  const spilled = Math.max(argc - REG_ARGS, 0);
  const area = roundUp16(8 * spilled);
  const inTail = tail.findIndex((t) => t.kind === 'acc');
  const acc = inTail < 0 ? -1 : stacked + inTail; // the argument A holds, if any
  const fromA = acc <= 0 ? [] : [`mov ${acc < REG_ARGS ? `x${acc}` : 'x11'}, x0`];
  const into = (arg: number, reg: string, sp: number): string[] => {
    if (arg < stacked) return [`ldr ${reg}, [sp, #${hex(sp + valueAt(arg))}]`];
    const t = tail[arg - stacked];
    return t.kind === 'acc' ? [] : operand(f, reg, t, sp + STACK_CELL * depth); // 'acc': moved by fromA
  };
  if (spilled === 0) { // all in registers: pop the stacked ones (last first), no area
    const pops = Array.from({ length: stacked }, (_, k) => `ldr x${stacked - 1 - k}, [sp], #${hex(STACK_CELL)}`);
    const rest = Array.from({ length: argc - stacked }, (_, k) => into(stacked + k, `x${stacked + k}`, -STACK_CELL * stacked)).flat();
    return [...fromA, ...pops, ...rest, branch];
  }
  const regs = Array.from({ length: Math.min(argc, REG_ARGS) }, (_, a) => into(a, `x${a}`, 0)).flat();
  const stack = Array.from({ length: spilled }, (_, k) => {
    const arg = REG_ARGS + k;
    const reg = arg === acc ? 'x11' : 'x10';
    return [...(arg === acc ? [] : into(arg, reg, area)), `str ${reg}, [sp, #${hex(8 * k)}]`];
  }).flat();
  return [
    ...fromA,
    ...regs,
    ...addConst('sub', 'sp', 'sp', area),
    ...stack,
    branch,
    ...addConst('add', 'sp', 'sp', area + STACK_CELL * stacked),
  ];
}

const BIN: Record<BinOp, string[]> = {
  add: ['add x0, x1, x0'],
  sub: ['sub x0, x1, x0'],
  mul: ['mul x0, x1, x0'],
  udiv: ['udiv x0, x1, x0'],
  sdiv: ['sdiv x0, x1, x0'],
  urem: ['udiv x9, x1, x0', 'msub x0, x9, x0, x1'], // B - (B / A) * A
  srem: ['sdiv x9, x1, x0', 'msub x0, x9, x0, x1'],
  and: ['and x0, x1, x0'],
  or: ['orr x0, x1, x0'],
  xor: ['eor x0, x1, x0'],
  shl: ['lsl x0, x1, x0'], // register shifts use the count modulo 64
  lshr: ['lsr x0, x1, x0'],
  ashr: ['asr x0, x1, x0'],
};

const COND: Record<Cond, string> = {
  eq: 'eq', ne: 'ne', ult: 'lo', ule: 'ls', ugt: 'hi', uge: 'hs', slt: 'lt', sle: 'le', sgt: 'gt', sge: 'ge',
};

/** Keyed by width then signedness; width 8 needs no instruction. */
const EXT: Record<Width, [unsigned: string[], signed: string[]]> = {
  1: [['uxtb w0, w0'], ['sxtb x0, w0']],
  2: [['uxth w0, w0'], ['sxth x0, w0']],
  4: [['mov w0, w0'], ['sxtw x0, w0']], // writing w0 clears the upper half
  8: [[], []],
};

const LOAD: Record<Width, [unsigned: string, signed: string]> = {
  1: ['ldrb w0, [x0]', 'ldrsb x0, [x0]'],
  2: ['ldrh w0, [x0]', 'ldrsh x0, [x0]'],
  4: ['ldr w0, [x0]', 'ldrsw x0, [x0]'],
  8: ['ldr x0, [x0]', 'ldr x0, [x0]'],
};

const STORE: Record<Width, string> = {
  1: 'strb w0, [x1]',
  2: 'strh w0, [x1]',
  4: 'str w0, [x1]',
  8: 'str x0, [x1]',
};

/** memory[A] = x1, for store.r. */
const STORE_R: Record<Width, string> = {
  1: 'strb w1, [x0]',
  2: 'strh w1, [x0]',
  4: 'str w1, [x0]',
  8: 'str x1, [x0]',
};

/** A = A op x1, for bin.r. */
const BIN_R: Record<BinOp, string[]> = {
  add: ['add x0, x0, x1'],
  sub: ['sub x0, x0, x1'],
  mul: ['mul x0, x0, x1'],
  udiv: ['udiv x0, x0, x1'],
  sdiv: ['sdiv x0, x0, x1'],
  urem: ['udiv x9, x0, x1', 'msub x0, x9, x1, x0'],
  srem: ['sdiv x9, x0, x1', 'msub x0, x9, x1, x0'],
  and: ['and x0, x0, x1'],
  or: ['orr x0, x0, x1'],
  xor: ['eor x0, x0, x1'],
  shl: ['lsl x0, x0, x1'],
  lshr: ['lsr x0, x0, x1'],
  ashr: ['asr x0, x0, x1'],
};

const SHIFT_IMM: Partial<Record<BinOp, string>> = { shl: 'lsl', lshr: 'lsr', ashr: 'asr' };
const LOGIC_IMM: Partial<Record<BinOp, string>> = { and: 'and', or: 'orr', xor: 'eor' };

/** Whether `v` is one run of ones in 64 bits, possibly wrapping: a logical immediate. */
function oneRun(v: bigint): boolean {
  const u = BigInt.asUintN(64, v);
  const edges = (u ^ (((u << 1n) | (u >> 63n)) & 0xffff_ffff_ffff_ffffn)).toString(2).replace(/0/g, '').length;
  return edges === 2;
}

/** A = A kind rhs: immediate forms for add, sub, shifts and one-run masks; otherwise rhs goes to x1. */
function binR(f: Func, kind: BinOp, rhs: Operand, sp: number): string[] {
  if (rhs.kind === 'imm') {
    const v = BigInt.asIntN(64, rhs.value);
    const mag = v < 0n ? -v : v;
    if ((kind === 'add' || kind === 'sub') && mag <= BigInt(IMM12)) {
      const op = (kind === 'add') === (v >= 0n) ? 'add' : 'sub';
      return mag === 0n ? [] : [`${op} x0, x0, #${hex(mag)}`];
    }
    const shift = SHIFT_IMM[kind];
    if (shift) return [`${shift} x0, x0, #${hex(rhs.value & 0x3fn)}`];
    const logic = LOGIC_IMM[kind];
    if (logic && oneRun(rhs.value)) return [`${logic} x0, x0, #${hex(BigInt.asUintN(64, rhs.value))}`];
  }
  return [...operand(f, 'x1', rhs, sp), ...BIN_R[kind]];
}

/** Flags of A - rhs. */
function compare(f: Func, rhs: Operand, sp: number): string[] {
  if (rhs.kind === 'imm' && BigInt.asUintN(64, rhs.value) <= BigInt(IMM12)) return [`cmp x0, #${hex(BigInt.asUintN(64, rhs.value))}`];
  return [...operand(f, 'x1', rhs, sp), 'cmp x0, x1'];
}

/** if (A cond rhs) goto target; a test against zero for equality is one cbz/cbnz. */
function jcmpR(f: Func, cond: Cond, rhs: Operand, target: string, sp: number): string[] {
  if (rhs.kind === 'imm' && rhs.value === 0n && (cond === 'eq' || cond === 'ne')) return [`${cond === 'eq' ? 'cbz' : 'cbnz'} x0, ${target}`];
  return [...compare(f, rhs, sp), `b.${COND[cond]} ${target}`];
}

/** An access through `base` at base + offset: a scaled immediate offset, or an add before it. */
function atOffset(access: string, width: Width, offset = 0, base = 'x0'): string[] {
  if (offset % width === 0 && offset / width <= IMM12) return [offset ? access.replace(`[${base}]`, `[${base}, #${hex(offset)}]`) : access];
  return [...addConst('add', base, base, offset), access];
}

/** memory[A + offset] = rhs; zero comes from the zero register. */
function storeR(f: Func, width: Width, rhs: Operand, sp: number, offset?: number): string[] {
  if (rhs.kind === 'imm' && BigInt.asUintN(8 * width, rhs.value) === 0n) {
    return atOffset(STORE_R[width].replace(/\b[wx]1\b/, width === 8 ? 'xzr' : 'wzr'), width, offset);
  }
  return [...operand(f, 'x1', rhs, sp), ...atOffset(STORE_R[width], width, offset)];
}

/** Bytes from SP up to the frame base before op `i`: its value-stack cells. */
const sp = (i: Instr): number => STACK_CELL * i.depth;

/** The shared epilogue of a function: every ret branches here. */
const exitLabel = (f: Func): string => `${f.name}.exit`;

/** Fails early on IR whose value stack would underflow: that is a front-end bug. */
function needDepth(i: Instr, f: Func, n: number): void {
  if (i.depth < n) throw new GenError(`${f.file}:${i.line}: ${i.op} needs ${n} stacked values, depth is ${i.depth}`);
}

const OPS: OpTable = {
  imm: (i) => movImm('x0', i.value),
  'slot.load': (i, f) => slotAccess(f, 'ldr', 'x0', i.slot, sp(i)),
  'slot.store': (i, f) => slotAccess(f, 'str', 'x0', i.slot, sp(i)),
  param: () => [], // hoisted into the prologue by emitFunc
  'addr.global': (i) => [`adr x0, ${i.symbol}`],
  'addr.func': (i) => [`adr x0, ${i.symbol}`],
  load: (i) => [...(i.symbol ? [`adr x0, ${i.symbol}`] : []), ...atOffset(LOAD[i.width][i.signed ? 1 : 0], i.width, i.offset)],
  store: (i) => [STORE[i.width]],
  push: () => ['str x0, [sp, #-0x10]!'],
  pop: (i, f) => (needDepth(i, f, 1), ['ldr x1, [sp], #0x10']),
  drop: (i, f) => (needDepth(i, f, i.count), addConst('add', 'sp', 'sp', STACK_CELL * i.count)),
  bin: (i) => BIN[i.kind],
  cmp: (i) => ['cmp x1, x0', `cset x0, ${COND[i.cond]}`],
  ext: (i) => EXT[i.width][i.signed ? 1 : 0],
  neg: () => ['neg x0, x0'],
  not: () => ['mvn x0, x0'],
  label: (i) => [`${i.name}:`], // unique in the unit (ir.ts)
  jump: (i) => [`b ${i.target}`],
  jz: (i) => [`cbz x0, ${i.target}`],
  jnz: (i) => [`cbnz x0, ${i.target}`],
  call: (i, f) => (needDepth(i, f, i.argc - (i.tail?.length ?? 0)), marshal(f, i.argc, i.tail ?? [], `bl ${i.symbol}`, i.depth)),
  // the target leaves x0 before the arguments arrive; x16 is free until the branch
  'call.ptr': (i, f) => (needDepth(i, f, i.argc), ['mov x16, x0', ...marshal(f, i.argc, [], 'blr x16', i.depth)]),
  // emitFunc drops it where the exit follows anyway; the exit wants SP at the frame base
  ret: (i, f) => [...addConst('add', 'sp', 'sp', sp(i)), `b ${exitLabel(f)}`],
  'bin.r': (i, f) => binR(f, i.kind, i.rhs, sp(i)),
  'cmp.r': (i, f) => [...compare(f, i.rhs, sp(i)), `cset x0, ${COND[i.cond]}`],
  jcmp: (i) => ['cmp x1, x0', `b.${COND[i.cond]} ${i.target}`],
  'jcmp.r': (i, f) => jcmpR(f, i.cond, i.rhs, i.target, sp(i)),
  // A is dead here (ir.ts), so the slot is simply loaded into it
  'jcmp.s': (i, f) => [...slotAccess(f, 'ldr', 'x0', i.slot, sp(i)), ...jcmpR(f, i.cond, { kind: 'imm', value: i.value }, i.target, sp(i))],
  'store.r': (i, f) => storeR(f, i.width, i.rhs, sp(i), i.offset),
  'store.a': (i, f) => [...operand(f, 'x1', i.addr, sp(i)), ...atOffset(STORE[i.width], i.width, i.offset, 'x1')],
  // zero from the zero register; A is dead here (ir.ts), so other values go through x0
  'slot.set': (i, f) => (i.value === 0n ? slotAccess(f, 'str', 'xzr', i.slot, sp(i)) : [...movImm('x0', i.value), ...slotAccess(f, 'str', 'x0', i.slot, sp(i))]),
  'slot.add': (i, f) => [...slotAccess(f, 'ldr', 'x0', i.slot, sp(i)), ...binR(f, 'add', { kind: 'imm', value: i.value }, sp(i)), ...slotAccess(f, 'str', 'x0', i.slot, sp(i))],
};

/** Mnemonic padded like the hand-written stubs, comment at column 48. */
function formatLine(code: string, comment: string): string {
  const m = /^(\S+)\s*(.*)$/.exec(code);
  const text = code.endsWith(':') || !m ? code : `        ${m[1].padEnd(7)} ${m[2]}`.trimEnd();
  return comment ? `${text.padEnd(47)} // ${comment}` : text;
}

function emitOp<K extends Op['op']>(i: Extract<Instr, { op: K }>, f: Func): string[] {
  const emit = OPS[i.op] as Emit<K>;
  return emit(i, f);
}

type Param = Extract<Instr, { op: 'param' }>;

/** Largest offset of an 8-byte stp [base, #imm] (a scaled 7-bit immediate). */
const STP_MAX = 0x1f8;

/** Parameter stores; registers bound for neighbouring slots go in pairs (stp). */
function paramLines(f: Func, params: Param[]): [code: string, line: number][] {
  const out: [string, number][] = [];
  for (let n = 0; n < params.length; n++) {
    const [i, next] = [params[n], params[n + 1]];
    const off = record(f) + 8 * i.slot;
    if (next && i.index + 1 === next.index && next.index < REG_ARGS && next.slot === i.slot + 1 && off <= STP_MAX) {
      out.push([`stp x${i.index}, x${next.index}, [sp, #${hex(off)}]`, i.line]);
      n++;
    } else {
      out.push(...param(i, f).map((c): [string, number] => [c, i.line]));
    }
  }
  return out;
}

/** Largest frame a pre-indexed str (signed 9-bit offset) or stp (scaled 7-bit) allocates. */
const PRE_MAX = { str: 0x100, stp: PAIR_MAX };

/**
 * A leaf's `sub sp, sp, #S` followed by a store at [sp] (its first parameter, in slot 0)
 * becomes one pre-indexed store that allocates the frame too.
 */
function foldAllocation(lines: [code: string, line: number][]): [code: string, line: number][] {
  const sub = /^sub sp, sp, #(0x[0-9a-f]+)$/.exec(lines[0]?.[0] ?? '');
  const st = /^(str|stp) (.*), \[sp, #0x0\]$/.exec(lines[1]?.[0] ?? '');
  if (!sub || !st || Number(sub[1]) > PRE_MAX[st[1] as 'str' | 'stp']) return lines;
  return [[`${st[1]} ${st[2]}, [sp, #-${sub[1]}]!`, lines[1][1]], ...lines.slice(2)];
}

/** The slot x0 equals after op `i` falls through, given the one it equalled before (parameters leave x0 alone). */
function heldAfter(i: Instr, before: number | undefined): number | undefined {
  if (i.op === 'param') return before;
  return i.op === 'slot.load' || i.op === 'slot.store' || i.op === 'jcmp.s' || i.op === 'slot.add' ? i.slot : undefined;
}

/** Op `i` without its load of a slot that x0 already holds (x0 is parameter 0 at the start, or the slot just used). */
function emitHeld(i: Instr, f: Func, held: number | undefined): string[] {
  if (!('slot' in i) || i.slot !== held) return emitOp(i, f);
  const imm: Operand = { kind: 'imm', value: 'value' in i ? i.value : 0n };
  if (i.op === 'slot.load') return [];
  if (i.op === 'jcmp.s') return jcmpR(f, i.cond, imm, i.target, sp(i));
  if (i.op === 'slot.add') return [...binR(f, 'add', imm, sp(i)), ...slotAccess(f, 'str', 'x0', i.slot, sp(i))];
  return emitOp(i, f);
}

/** Every op's lines with its source line, skipping reloads of the slot x0 holds. */
function bodyLines(f: Func, body: Instr[], params: Param[]): [code: string, line: number][] {
  let held = params.find((p) => p.index === 0)?.slot;
  return body.flatMap((i) => {
    const lines = emitHeld(i, f, held).map((c): [string, number] => [c, i.line]);
    held = heldAfter(i, held);
    return lines;
  });
}

/** `ldr xN, [sp, #off]`: its register number and offset. */
function spLoad(code: string | undefined): { reg: string; off: number } | undefined {
  const m = /^ldr x(\d+), \[sp, #(0x[0-9a-f]+)\]$/.exec(code ?? '');
  return m ? { reg: m[1], off: Number(m[2]) } : undefined;
}

/**
 * Two adjacent loads from neighbouring SP-relative cells (typically two slots loaded as
 * call arguments or operands) into different registers become one ldp.
 */
export function pairLoads(lines: [code: string, line: number][]): [code: string, line: number][] {
  const out: [string, number][] = [];
  for (const [code, line] of lines) {
    const a = spLoad(out[out.length - 1]?.[0]);
    const b = spLoad(code);
    if (a && b && a.reg !== b.reg && Math.abs(a.off - b.off) === 8) {
      const [lo, hi] = a.off < b.off ? [a, b] : [b, a];
      if (lo.off % 8 === 0 && lo.off <= STP_MAX) {
        out[out.length - 1] = [`ldp x${lo.reg}, x${hi.reg}, [sp, #${hex(lo.off)}]`, out[out.length - 1][1]];
        continue;
      }
    }
    out.push([code, line]);
  }
  return out;
}

function emitFunc(f: Func): string[] {
  const first = f.body[0]?.line ?? 1;
  const last = f.body[f.body.length - 1];
  const at = (line: number) => (code: string): string => formatLine(code, `${f.file}:${line}`);
  const params = f.body.filter((i): i is Extract<Instr, { op: 'param' }> => i.op === 'param');
  // one epilogue at the end: a final ret falls into it, other rets branch to it; a
  // body that can fall off its end (a void function) still returns
  const needExit = last?.op !== 'jump' || f.body.some((i) => i.op === 'ret');
  const body = f.body.filter((i, n) => !(i.op === 'ret' && n === f.body.length - 1));
  const exitLine = last?.line ?? first;
  // values still stacked where the body falls into the exit (the final ret's, or a void end)
  const endDepth = last && last.op !== 'jump' ? last.depth + stackEffect(last) : 0;
  const reset = addConst('add', 'sp', 'sp', STACK_CELL * endDepth);
  return [
    at(first)(`${f.name}:`),
    // parameters before anything clobbers x0–x7
    ...foldAllocation([...prologue(f).map((c): [string, number] => [c, first]), ...paramLines(f, params)]).map(([c, line]) => at(line)(c)),
    ...pairLoads(bodyLines(f, body, params))
      .map(([c, line]) => at(line)(c)),
    ...(needExit ? [...reset, `${exitLabel(f)}:`, ...epilogue(f)].map(at(exitLine)) : []),
  ];
}

/** Data lines of one datum: zero runs as `.skip`, aligned 8-byte words as `.quad`, the rest `.byte`. */
function datumBody(d: Datum): string[] {
  if (d.fns) return d.fns.map((f) => `.long ${f} - ${d.symbol}`);
  const out: string[] = [];
  const b = d.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at < b.length;) {
    let zeros = 0;
    while (at + zeros < b.length && b[at + zeros] === 0) zeros++;
    if (zeros >= 0x10) {
      out.push(`.skip ${hex(zeros)}`);
      at += zeros;
      continue;
    }
    const n = Math.min(0x10, b.length - at);
    if (d.align >= 8 && at % 8 === 0 && n % 8 === 0) {
      out.push(`.quad ${Array.from({ length: n / 8 }, (_, w) => hex(view.getBigUint64(at + 8 * w, true))).join(', ')}`);
    } else {
      out.push(`.byte ${Array.from(b.subarray(at, at + n), hex).join(', ')}`);
    }
    at += n;
  }
  return out;
}

/** No fill operand: keystone ignores it and pads with NOPs, as GNU as does without one. */
function emitDatum(d: Datum): string[] {
  const log2 = Math.log2(d.align);
  if (!Number.isInteger(log2) || log2 < 0) throw new GenError(`${d.symbol}: alignment ${d.align} is not a power of two`);
  const note = `data ${d.symbol}${d.writable ? '' : ' (read-only)'}`;
  return [`.p2align ${hex(log2)}`, `${d.symbol}:`, ...datumBody(d)].map((t) => formatLine(t, note));
}

/**
 * `_start` for Linux user mode: calls main, writes x0 in decimal and "\n" to stdout
 * through a 32-byte buffer on the stack (20 digits, a sign, a newline), exits 0.
 * Negating INT64_MIN gives 2^63, which the unsigned digit loop prints correctly.
 */
function hostedStart(main: string, signed: boolean): string[] {
  const code: [string, string][] = [
    ['_start:', ''],
    [`bl ${main}`, 'the kernel left SP 16-aligned'],
    ['sub sp, sp, #0x20', 'digit buffer; x9 fills it from the end'],
    ['add x9, sp, #0x20', ''],
    ['mov x10, #0xa', ''],
    ['strb w10, [x9, #-0x1]!', 'the newline'],
    ...(signed
      ? ([['cmp x0, #0x0', ''], ['cset x11, lt', 'x11: negative'], ['cneg x0, x0, lt', 'magnitude, unsigned']] as [string, string][])
      : [['mov x11, #0x0', 'never negative'] as [string, string]]),
    ['_start.digit:', ''],
    ['udiv x12, x0, x10', ''],
    ['msub x13, x12, x10, x0', 'x13 = x0 % 10'],
    ['add w13, w13, #0x30', "'0' + digit"],
    ['strb w13, [x9, #-0x1]!', ''],
    ['mov x0, x12', ''],
    ['cbnz x0, _start.digit', ''],
    ['cbz x11, _start.write', ''],
    ['mov w13, #0x2d', "'-'"],
    ['strb w13, [x9, #-0x1]!', ''],
    ['_start.write:', ''],
    ['mov x0, #0x1', 'stdout'],
    ['mov x1, x9', ''],
    ['add x2, sp, #0x20', ''],
    ['sub x2, x2, x9', 'length'],
    ['mov x8, #0x40', 'write'],
    ['svc #0x0', ''],
    ['mov x0, #0x0', 'status 0'],
    ['mov x8, #0x5d', 'exit'],
    ['svc #0x0', ''],
  ];
  return code.map(([c, comment]) => formatLine(c, comment));
}

export const arm64Backend: Backend = {
  emitFunc,
  finishCode: (code: string[], data: Datum[]): string[] => shareConstants(shareEpilogues(literalLoads(code, data))),
  emitData: (d: Datum[]): string[] => d.flatMap(emitDatum),
  hostedStart,
};
