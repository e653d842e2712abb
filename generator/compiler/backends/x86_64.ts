// The x86-64 back end: every IR op becomes a fixed template of AT&T instructions, in
// keystone-compatible text (numbers of two or more digits in hex, no negative
// immediates, no numeric local labels, `.p2align n, 0x0` since keystone and GNU as pad
// with different NOPs otherwise).
//
// Registers and frame (Microsoft x64 convention for every function):
//   A = rax, B = rcx. rcx is also the shift-count register, so shifts swap A and B.
//   rdx, r8, r9 are scratch inside division; r10 copies stack-passed call arguments.
//   rbp is the frame pointer (saved); nothing else callee-saved is ever touched. A leaf
//   function without slots that returns with nothing stacked has no frame at all.
//   [rbp+16]          the caller's 32-byte shadow space, then stack-passed args 4, 5, …
//                     (a parameter's slot when it arrives there: stackParams)
//   [rbp+8]           return address
//   [rbp]             caller's rbp
//   [rbp-8*(s+1)]     slot s, for s < slots; the slot area is rounded up to 16 bytes
//                     (register parameters of slots 0, 1, … arrive there by push)
//   below it          the call area (functions that call): shadow space, then the most
//                     stack arguments any of its calls passes, rounded up to 16 bytes
//   below that        the value stack, 8 bytes a value, so rsp = 16k - 8*depth.
import { GenError } from '../../errors.ts';
import { NEGATE, stackEffect, type ArgSource, type Backend, type BinOp, type Cond, type Datum, type Func, type Instr, type Op, type Operand, type Width } from '../ir.ts';

/** Argument registers of the Microsoft x64 convention, in order. */
const ARG_REGS = ['%rcx', '%rdx', '%r8', '%r9'] as const;
/** Home space the caller reserves for the four register arguments. */
const SHADOW = 0x20;

/** Unsigned hex of a 64-bit two's-complement value: keystone mis-reads decimals. */
const hex = (n: number | bigint): string => `0x${BigInt.asUintN(64, BigInt(n)).toString(16)}`;

/** Where stack-passed argument `index` (≥ 4) arrives: above the return address and shadow space. */
const incoming = (index: number): number => 0x10 + SHADOW + 8 * (index - ARG_REGS.length);

/**
 * Slots bound to stack-passed parameters: slot → argument index. Such a slot stays where
 * the argument arrived (the callee owns that memory in the Microsoft convention), so the
 * prologue copies nothing; its cell in the slot area goes unused.
 */
function stackParams(f: Func): Map<number, number> {
  let m = stackParamCache.get(f);
  if (!m) {
    m = new Map(f.body.flatMap((i) => (i.op === 'param' && i.index >= ARG_REGS.length ? [[i.slot, i.index] as [number, number]] : [])));
    stackParamCache.set(f, m);
  }
  return m;
}
const stackParamCache = new WeakMap<Func, Map<number, number>>();

/** A slot's frame address. */
function slotRef(f: Func, slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= f.slots) throw new GenError(`${f.file}: ${f.name}: slot ${slot} outside 0..${f.slots - 1}`);
  const arg = stackParams(f).get(slot);
  return arg === undefined ? `-${hex(8 * (slot + 1))}(%rbp)` : `${hex(incoming(arg))}(%rbp)`;
}

/** Fails early on IR whose value stack would underflow: that is a front-end bug. */
function needDepth(i: Instr, f: Func, n: number): void {
  if (i.depth < n) throw new GenError(`${f.file}:${i.line}: ${i.op} needs ${n} stacked values, depth is ${i.depth}`);
}

/** Bytes below rbp for the slots, a multiple of 16. */
const slotBytes = (f: Func): number => Math.ceil(f.slots / 2) * 16;

/** The 32-bit half of each register an operand is loaded into. */
const LOW32: Record<string, string> = { '%rax': '%eax', '%rcx': '%ecx', '%rdx': '%edx', '%r8': '%r8d', '%r9': '%r9d', '%r10': '%r10d' };

/** A sign-extended imm8: `push $v; pop reg` (3 bytes, 4 for r8–r10) beats a 5-byte `mov`. */
const imm8 = (v: bigint): boolean => v <= 0x7fn || v >= 0xffff_ffff_ffff_ff80n;

/** reg = value: the shortest form both assemblers encode alike (push/pop leave the stack as it was). */
function loadImm(value: bigint, reg = '%rax'): string[] {
  const v = BigInt.asUintN(64, value);
  if (v === 0n) return [`xor ${LOW32[reg]}, ${LOW32[reg]}`];
  if (imm8(v)) return [`push $${hex(v)}`, `pop ${reg}`];
  if (v <= 0xffff_ffffn) return [`mov $${hex(v)}, ${LOW32[reg]}`]; // writing the low half clears the top half
  if (v >= 0xffff_ffff_8000_0000n) return [`movq $${hex(v)}, ${reg}`]; // sign-extended imm32
  const rotated = ((v << 1n) | (v >> 63n)) & 0xffff_ffff_ffff_ffffn;
  if (rotated <= 0xffff_ffffn) return [...loadImm(rotated, reg), `ror $0x1, ${reg}`]; // 2^63 | small: status codes
  return [`movabs $${hex(v)}, ${reg}`];
}

/** reg = operand. */
function operand(f: Func, reg: string, x: Operand): string[] {
  switch (x.kind) {
    case 'imm': return loadImm(x.value, reg);
    case 'slot': return [`mov ${slotRef(f, x.slot)}, ${reg}`];
    default: return [`lea ${x.symbol}(%rip), ${reg}`];
  }
}

/** An operand an instruction can read in place: a small positive immediate or a slot. */
function direct(f: Func, x: Operand): string | undefined {
  if (x.kind === 'imm' && BigInt.asUintN(64, x.value) <= 0x7fff_ffffn) return `$${hex(x.value)}`;
  return x.kind === 'slot' ? slotRef(f, x.slot) : undefined;
}

/** Two-operand instructions that compute A = A op src. */
const ALU: Partial<Record<BinOp, string>> = { add: 'add', sub: 'sub', and: 'and', or: 'or', xor: 'xor', mul: 'imul' };
const SHIFT: Partial<Record<BinOp, string>> = { shl: 'shl', lshr: 'shr', ashr: 'sar' };

/** A = A kind rhs: in place where x86 allows, else rhs to rcx and the B-op-A template. */
function binR(f: Func, kind: BinOp, rhs: Operand): string[] {
  const src = direct(f, rhs);
  const alu = ALU[kind];
  const shift = SHIFT[kind];
  if (alu && src) return [kind === 'mul' && rhs.kind === 'imm' ? `imul ${src}, %rax, %rax` : `${alu} ${src}, %rax`];
  if (shift && rhs.kind === 'imm') return [`${shift} $${hex(rhs.value & 0x3fn)}, %rax`];
  const load = operand(f, '%rcx', rhs);
  if (alu) return [...load, `${alu} %rcx, %rax`];
  if (shift) return [...load, `${shift} %cl, %rax`];
  return [...load, 'xchg %rax, %rcx', ...BIN[kind]];
}

/** Flags of A - rhs. */
function compare(f: Func, rhs: Operand): string[] {
  if (rhs.kind === 'imm' && rhs.value === 0n) return ['test %rax, %rax'];
  const src = direct(f, rhs);
  return src ? [`cmp ${src}, %rax`] : [...operand(f, '%rcx', rhs), 'cmp %rcx, %rax'];
}

/** Flags of slot - value: in memory for an immediate `cmpq` holds, else through rax. */
function compareSlot(f: Func, slot: number, value: bigint): string[] {
  const imm: Operand = { kind: 'imm', value };
  const src = direct(f, imm);
  return src ? [`cmpq ${src}, ${slotRef(f, slot)}`] : [`mov ${slotRef(f, slot)}, %rax`, ...compare(f, imm)];
}

/** An instruction that reads or writes (%rax), at rax + offset instead. */
const atOffset = (text: string, offset = 0): string => (offset ? text.replace('(%rax)', `${hex(offset)}(%rax)`) : text);

/** A load from (%rax) + offset, or RIP-relative from a symbol + offset. */
function loadAt(i: InstrOf<'load'>): string {
  const text = LOAD[extKey(i.width, i.signed)];
  if (!i.symbol) return atOffset(text, i.offset);
  return text.replace('(%rax)', `${i.symbol}${i.offset ? `+${hex(i.offset)}` : ''}(%rip)`);
}

/** memory[A + offset] = rhs. */
function storeR(f: Func, width: Width, rhs: Operand, offset?: number): string[] {
  const v = rhs.kind === 'imm' ? BigInt.asUintN(8 * width, rhs.value) : undefined;
  if (v !== undefined && (width < 8 || v <= 0x7fff_ffffn)) return [atOffset(`mov${SUFFIX[width]} $${hex(v)}, (%rax)`, offset)];
  return [...operand(f, '%rcx', rhs), atOffset(STORE_R[width], offset)];
}

/** memory[addr + offset] = A: RIP-relative for a data symbol, else through rcx. */
function storeA(f: Func, width: Width, addr: Operand, offset = 0): string[] {
  const disp = offset ? hex(offset) : '';
  if (addr.kind === 'global') return [STORE[width].replace('(%rcx)', `${addr.symbol}${disp && `+${disp}`}(%rip)`)];
  return [...operand(f, '%rcx', addr), STORE[width].replace('(%rcx)', `${disp}(%rcx)`)];
}

/** Divisor to r8, dividend to rax; x / -1 becomes -x / 1, as idiv traps on INT64_MIN / -1. */
const SIGNED_DIVIDE = [
  'mov %rax, %r8', 'mov %rcx, %rax', 'mov %rcx, %r9', 'neg %r9',
  'cmp $0xffffffffffffffff, %r8', 'cmovz %r9, %rax', 'mov $0x1, %r9d', 'cmovz %r9, %r8',
  'cqo', 'idiv %r8',
];
const UNSIGNED_DIVIDE = ['mov %rax, %r8', 'mov %rcx, %rax', 'xor %edx, %edx', 'div %r8'];

/** A = B op A. */
const BIN: Record<BinOp, string[]> = {
  add: ['add %rcx, %rax'],
  sub: ['sub %rax, %rcx', 'mov %rcx, %rax'],
  mul: ['imul %rcx, %rax'],
  udiv: UNSIGNED_DIVIDE,
  urem: [...UNSIGNED_DIVIDE, 'mov %rdx, %rax'],
  sdiv: SIGNED_DIVIDE,
  srem: [...SIGNED_DIVIDE, 'mov %rdx, %rax'],
  and: ['and %rcx, %rax'],
  or: ['or %rcx, %rax'],
  xor: ['xor %rcx, %rax'],
  // the count must be in cl: swap, then shift B (now in rax); the CPU masks it to 0..63
  shl: ['xchg %rax, %rcx', 'shl %cl, %rax'],
  lshr: ['xchg %rax, %rcx', 'shr %cl, %rax'],
  ashr: ['xchg %rax, %rcx', 'sar %cl, %rax'],
};

/** setcc after `cmp %rax, %rcx`, which sets the flags of B - A. */
const SETCC: Record<Cond, string> = {
  eq: 'sete', ne: 'setne',
  ult: 'setb', ule: 'setbe', ugt: 'seta', uge: 'setae',
  slt: 'setl', sle: 'setle', sgt: 'setg', sge: 'setge',
};

type Ext = `${Width}${'s' | 'u'}`;
const extKey = (width: Width, signed: boolean): Ext => `${width}${signed ? 's' : 'u'}`;

/** A = memory[A], extended; 32-bit moves clear the upper half by themselves. */
const LOAD: Record<Ext, string> = {
  '1u': 'movzbl (%rax), %eax', '1s': 'movsbq (%rax), %rax',
  '2u': 'movzwl (%rax), %eax', '2s': 'movswq (%rax), %rax',
  '4u': 'movl (%rax), %eax', '4s': 'movslq (%rax), %rax',
  '8u': 'movq (%rax), %rax', '8s': 'movq (%rax), %rax',
};

/** A = low bytes of A, extended (width 8 is the identity: no instruction). */
const EXT: Record<Ext, string[]> = {
  '1u': ['movzbl %al, %eax'], '1s': ['movsbq %al, %rax'],
  '2u': ['movzwl %ax, %eax'], '2s': ['movswq %ax, %rax'],
  '4u': ['mov %eax, %eax'], '4s': ['movslq %eax, %rax'],
  '8u': [], '8s': [],
};

/** memory[B] = low bytes of A. */
const STORE: Record<Width, string> = {
  1: 'movb %al, (%rcx)', 2: 'movw %ax, (%rcx)', 4: 'movl %eax, (%rcx)', 8: 'movq %rax, (%rcx)',
};

/** memory[A] = low bytes of B, for store.r. */
const STORE_R: Record<Width, string> = {
  1: 'movb %cl, (%rax)', 2: 'movw %cx, (%rax)', 4: 'movl %ecx, (%rax)', 8: 'movq %rcx, (%rax)',
};
const SUFFIX: Record<Width, string> = { 1: 'b', 2: 'w', 4: 'l', 8: 'q' };

/** Conditional jumps after a compare of B with A (or of A with an operand). */
const JCC: Record<Cond, string> = {
  eq: 'je', ne: 'jne', ult: 'jb', ule: 'jbe', ugt: 'ja', uge: 'jae', slt: 'jl', sle: 'jle', sgt: 'jg', sge: 'jge',
};

type OpKind = Op['op'];
type InstrOf<K extends OpKind> = Extract<Instr, { op: K }>;
type Template<K extends OpKind> = (i: InstrOf<K>, f: Func) => string[];

/** Every op's instructions; a line ending in ':' is a label. */
const OPS: { [K in OpKind]: Template<K> } = {
  imm: (i) => loadImm(i.value),
  'slot.load': (i, f) => [`mov ${slotRef(f, i.slot)}, %rax`],
  'slot.store': (i, f) => [`mov %rax, ${slotRef(f, i.slot)}`],
  param: () => [], // hoisted into the prologue by emitFunc
  'addr.global': (i) => [`lea ${i.symbol}(%rip), %rax`],
  'addr.func': (i) => [`lea ${i.symbol}(%rip), %rax`],
  load: (i) => [loadAt(i)],
  store: (i) => [STORE[i.width]],
  push: () => ['push %rax'],
  pop: (i, f) => (needDepth(i, f, 1), ['pop %rcx']),
  drop: (i, f) => (needDepth(i, f, i.count), i.count > 0 ? [`add $${hex(8 * i.count)}, %rsp`] : []),
  bin: (i) => BIN[i.kind],
  cmp: (i) => ['cmp %rax, %rcx', `${SETCC[i.cond]} %al`, 'movzbl %al, %eax'],
  ext: (i) => EXT[extKey(i.width, i.signed)],
  neg: () => ['neg %rax'],
  not: () => ['not %rax'],
  // label names are unique in the unit: the front end puts the function's name in them
  label: (i) => [`${i.name}:`],
  jump: (i) => [`jmp ${i.target}`],
  jz: (i) => ['test %rax, %rax', `jz ${i.target}`],
  jnz: (i) => ['test %rax, %rax', `jnz ${i.target}`],
  call: (i, f) => (needDepth(i, f, i.argc - (i.tail?.length ?? 0)), call(f, i.argc, i.tail ?? [], i.depth, i.symbol, i.compiled)),
  'call.ptr': (i, f) => (needDepth(i, f, i.argc), call(f, i.argc, [], i.depth, '*%rax')),
  ret: (i, f) => epilogue(f),
  'bin.r': (i, f) => binR(f, i.kind, i.rhs),
  'cmp.r': (i, f) => [...compare(f, i.rhs), `${SETCC[i.cond]} %al`, 'movzbl %al, %eax'],
  jcmp: (i) => ['cmp %rax, %rcx', `${JCC[i.cond]} ${i.target}`],
  'jcmp.r': (i, f) => [...compare(f, i.rhs), `${JCC[i.cond]} ${i.target}`],
  'jcmp.s': (i, f) => [...compareSlot(f, i.slot, i.value), `${JCC[i.cond]} ${i.target}`],
  'store.r': (i, f) => storeR(f, i.width, i.rhs, i.offset),
  'store.a': (i, f) => storeA(f, i.width, i.addr, i.offset),
  'slot.set': (i, f) => slotSet(f, i.slot, i.value),
  'slot.add': (i, f) => slotAdd(f, i.slot, i.value),
};

/** Fits a sign-extended imm32 (`movq`/`addq $k, mem`). */
const imm32 = (v: bigint): boolean => BigInt.asIntN(64, v) >= -0x8000_0000n && BigInt.asIntN(64, v) <= 0x7fff_ffffn;

/** slot = value (A is dead, ir.ts): `xor` and a store is shorter for zero, `movq` for other imm32s. */
function slotSet(f: Func, slot: number, value: bigint): string[] {
  if (value !== 0n && imm32(value)) return [`movq $${hex(value)}, ${slotRef(f, slot)}`];
  return [...loadImm(value), `mov %rax, ${slotRef(f, slot)}`];
}

/** slot += value in memory (A is dead, ir.ts); a subtraction for negative steps, which imm32 holds as written. */
function slotAdd(f: Func, slot: number, value: bigint): string[] {
  const v = BigInt.asIntN(64, value);
  if (v >= 0n && v <= 0x7fff_ffffn) return [`addq $${hex(v)}, ${slotRef(f, slot)}`];
  if (v < 0n && -v <= 0x7fff_ffffn) return [`subq $${hex(-v)}, ${slotRef(f, slot)}`];
  return [`mov ${slotRef(f, slot)}, %rax`, ...binR(f, 'add', { kind: 'imm', value }), `mov %rax, ${slotRef(f, slot)}`];
}

/** Copies register argument `index` to its slot; a stack argument's slot is where it arrived. */
function param(i: InstrOf<'param'>, f: Func): string[] {
  return i.index < ARG_REGS.length ? [`mov ${ARG_REGS[i.index]}, ${slotRef(f, i.slot)}`] : [];
}

/** Bytes of the outgoing-call area at the bottom of the frame: shadow space plus the most
 * stack arguments any call of the function passes (none in a function that calls nothing). */
function outArea(f: Func): number {
  const known = areas.get(f);
  if (known !== undefined) return known;
  const calls = f.body.filter((i) => i.op === 'call' || i.op === 'call.ptr');
  const most = Math.max(0, ...calls.map((i) => ('argc' in i ? i.argc : 0)));
  const size = calls.length === 0 ? 0 : Math.ceil((SHADOW + 8 * Math.max(0, most - ARG_REGS.length)) / 16) * 16;
  areas.set(f, size);
  return size;
}
const areas = new WeakMap<Func, number>();

/** Where outgoing stack argument `a` (≥ 4) goes in the frame's call area. */
const outRef = (f: Func, a: number): string => `-${hex(slotBytes(f) + outArea(f) - SHADOW - 8 * (a - ARG_REGS.length))}(%rbp)`;

/**
 * Calls with `argc` arguments: the first argc - tail.length are the top stack values
 * (arg 0 deepest), the rest come from `tail` (rax for 'acc'). For call.ptr the target
 * stays in rax. The stacked arguments are popped into their registers (stack arguments
 * into the frame's call area). When they were all the value stack held, rsp is now at
 * that area and the call needs no stack adjustment; with values below them, a shadow
 * space (and padding so rsp is 16-aligned) is made and dropped around the call; with
 * stack arguments too, see callBelow. A compiled callee never writes its shadow space
 * (its parameters go to its own frame), so it gets only the alignment: none, or a
 * one-byte push and pop.
 */
function call(f: Func, argc: number, tail: ArgSource[], depth: number, target: string, compiled = false): string[] {
  const stacked = argc - tail.length;
  const rest = depth - stacked;
  if (rest > 0 && argc > ARG_REGS.length) return callBelow(f, argc, tail, depth, target);
  const out: string[] = [];
  const place = (a: number, load: (reg: string) => string[]): void => {
    if (a < ARG_REGS.length) out.push(...load(ARG_REGS[a]));
    else out.push(...load('%r10'), `mov %r10, ${outRef(f, a)}`);
  };
  const acc = stacked + tail.findIndex((t) => t.kind === 'acc');
  if (acc >= stacked) out.push(`mov %rax, ${acc < ARG_REGS.length ? ARG_REGS[acc] : outRef(f, acc)}`); // before rax changes
  for (let a = stacked - 1; a >= 0; a--) place(a, (reg) => [`pop ${reg}`]);
  tail.forEach((t, k) => { if (t.kind !== 'acc') place(stacked + k, (reg) => operand(f, reg, t)); });
  if (rest === 0 || (compiled && rest % 2 === 0)) return [...out, `call ${target}`];
  if (compiled) return [...out, 'push %rax', `call ${target}`, 'pop %rcx']; // padding; rcx is clobbered anyway
  const area = SHADOW + (rest % 2) * 8;
  return [...out, `sub $${hex(area)}, %rsp`, `call ${target}`, `add $${hex(area)}, %rsp`];
}

/**
 * A call with other values stacked below its arguments: a fresh outgoing area goes below
 * the stacked arguments — shadow space, stack arguments, padding so rsp is 16-aligned at
 * the call — and the values are copied into registers and that area. Afterwards both the
 * area and the stacked arguments are dropped.
 */
function callBelow(f: Func, argc: number, tail: ArgSource[], depth: number, target: string): string[] {
  const stacked = argc - tail.length;
  const stackArgs = Math.max(0, argc - ARG_REGS.length);
  let area = SHADOW + 8 * stackArgs;
  if ((8 * depth + area) % 16 !== 0) area += 8;
  const out = [`sub $${hex(area)}, %rsp`];
  for (let a = 0; a < argc; a++) {
    const reg = a < ARG_REGS.length ? ARG_REGS[a] : '%r10';
    const t = tail[a - stacked];
    if (a < stacked) out.push(`mov ${hex(area + 8 * (stacked - 1 - a))}(%rsp), ${reg}`);
    else if (t.kind === 'acc') out.push(`mov %rax, ${reg}`);
    else out.push(...operand(f, reg, t));
    if (a >= ARG_REGS.length) out.push(`mov %r10, ${hex(SHADOW + 8 * (a - ARG_REGS.length))}(%rsp)`);
  }
  out.push(`call ${target}`, `add $${hex(area + 8 * stacked)}, %rsp`);
  return out;
}

const PROLOGUE_HEAD = ['push %rbp', 'mov %rsp, %rbp'];

/** A function that calls nothing, has no slots and returns with nothing stacked needs no frame. */
function frameless(f: Func): boolean {
  const last = f.body[f.body.length - 1];
  const fallDepth = last ? last.depth + stackEffect(last) : 0;
  return f.slots === 0 && !f.body.some((i) => i.op === 'call' || i.op === 'call.ptr' || (i.op === 'ret' && i.depth > 0)) && fallDepth === 0;
}

const epilogue = (f: Func): string[] => (frameless(f) ? ['ret'] : ['leave', 'ret']);

/**
 * Register parameters bound to slots 0, 1, … in order: the prologue pushes them, which
 * stores each into its slot (slot k is at rbp - 8(k+1)) in one or two bytes.
 */
function pushedParams(f: Func, params: InstrOf<'param'>[]): InstrOf<'param'>[] {
  const out: InstrOf<'param'>[] = [];
  for (let k = 0; !frameless(f); k++) {
    const p = params.find((i) => i.slot === k && i.index < ARG_REGS.length);
    if (!p) break;
    out.push(p);
  }
  return out;
}

/**
 * The slots (the pushed parameters' first), then the call area; rsp stays 16-aligned at
 * value-stack depth 0. Each line comes with its source line: a push's is its parameter's.
 */
function prologue(f: Func, pushed: InstrOf<'param'>[], line: number): [string, number][] {
  if (frameless(f)) return [];
  const size = slotBytes(f) + outArea(f) - 8 * pushed.length;
  const pushes = pushed.map((p): [string, number] => [`push ${ARG_REGS[p.index]}`, p.line]);
  const sub: [string, number][] = size > 0 ? [[`sub $${hex(size)}, %rsp`, line]] : [];
  return [...PROLOGUE_HEAD.map((t): [string, number] => [t, line]), ...pushes, ...sub];
}

/** One output line: the instruction (mnemonic padded like the stubs) and where it came from. */
function render(text: string, comment: string): string {
  const sp = text.indexOf(' ');
  const code = text.endsWith(':') ? text : `        ${sp < 0 ? text : `${text.slice(0, sp).padEnd(7)} ${text.slice(sp + 1)}`}`;
  return comment ? `${code.padEnd(47)} // ${comment}` : code;
}

/** Runs the op's template; the one cast bridges TypeScript's view of the mapped table. */
function expand<K extends OpKind>(i: InstrOf<K>, f: Func): string[] {
  return (OPS[i.op] as Template<K>)(i, f);
}

/**
 * `jz`/`jnz` right after a `cmp`/`cmp.r` (the 0/1 value stays live, so the peephole kept
 * both): setcc and movzbl leave the compare's flags alone, so the branch tests them
 * directly instead of `test %rax, %rax` (3 bytes).
 */
function flagBranch(i: Instr, prev: Instr | undefined): string[] | undefined {
  if ((i.op !== 'jz' && i.op !== 'jnz') || (prev?.op !== 'cmp' && prev?.op !== 'cmp.r')) return undefined;
  return [`${JCC[i.op === 'jz' ? NEGATE[prev.cond] : prev.cond]} ${i.target}`];
}

function emitFunc(f: Func): string[] {
  const first = f.body[0]?.line ?? 1;
  // parameters first, wherever they stand: anything else may clobber rcx, rdx, r8, r9
  const params = f.body.filter((i): i is InstrOf<'param'> => i.op === 'param');
  const pushed = pushedParams(f, params);
  const out = [render(`${f.name}:`, `${f.file}:${first}`), ...prologue(f, pushed, first).map(([t, line]) => render(t, `${f.file}:${line}`))];
  for (const i of params) if (!pushed.includes(i)) out.push(...param(i, f).map((t) => render(t, `${f.file}:${i.line}`)));
  f.body.forEach((i, n) => out.push(...(flagBranch(i, f.body[n - 1]) ?? expand(i, f)).map((t) => render(t, `${f.file}:${i.line}`))));
  // a body that can fall off its end (a void function) still returns
  const last = f.body[f.body.length - 1];
  if (last?.op !== 'ret' && last?.op !== 'jump') out.push(...epilogue(f).map((t) => render(t, `${f.file}:${last?.line ?? first}`)));
  return out;
}

/** Data lines of one datum: zero runs as `.skip`, 8-byte words as `.quad`, the rest `.byte`. */
function datumBody(d: Datum): string[] {
  if (d.fns) return d.fns.map((f) => `.long ${f} - ${d.symbol}`);
  const out: string[] = [];
  const b = d.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  while (at < b.length) {
    let zeros = 0;
    while (at + zeros < b.length && b[at + zeros] === 0) zeros++;
    if (zeros >= 16) { out.push(`.skip ${hex(zeros)}`); at += zeros; continue; }
    const n = Math.min(16, b.length - at);
    if (d.align >= 8 && at % 8 === 0 && n % 8 === 0) {
      const words = Array.from({ length: n / 8 }, (_, k) => hex(view.getBigUint64(at + 8 * k, true)));
      out.push(`.quad ${words.join(', ')}`);
    } else {
      out.push(`.byte ${Array.from(b.subarray(at, at + n), (x) => hex(x)).join(', ')}`);
    }
    at += n;
  }
  return out;
}

function emitData(data: Datum[]): string[] {
  return data.flatMap((d) => {
    const log2 = Math.log2(d.align);
    if (!Number.isInteger(log2) || log2 < 0) throw new GenError(`${d.symbol}: alignment ${d.align} is not a power of two`);
    const note = `data ${d.symbol}${d.writable ? '' : ' (read-only)'}`;
    return [`.p2align ${hex(log2)}, 0x0`, `${d.symbol}:`, ...datumBody(d)].map((t) => render(t, note));
  });
}

/**
 * `_start` for Linux user mode: calls main under the Microsoft convention (rsp 16-aligned,
 * 32 bytes of shadow space), writes rax in decimal and a newline, exits 0. The digits are
 * built backwards in a buffer above the shadow space. A negative value is negated first:
 * INT64_MIN stays 0x8000…, which divides correctly as unsigned.
 */
function hostedStart(main: string, signed: boolean): string[] {
  const code: [string, string][] = [
    ['_start:', ''],
    ['shr $0x4, %rsp', 'Linux starts with rsp 16-aligned; make sure'],
    ['shl $0x4, %rsp', ''],
    ['sub $0x40, %rsp', 'shadow space, then a 32-byte digit buffer'],
    [`call ${main}`, ''],
    ['lea 0x40(%rsp), %rsi', 'rsi fills the buffer from its end'],
    ['dec %rsi', ''],
    ['movb $0xa, (%rsi)', 'the newline'],
    ['mov %rax, %r8', 'r8: the value, for its sign'],
    ...(signed ? [['test %rax, %rax', ''], ['jns _start.digit', ''], ['neg %rax', 'magnitude, unsigned']] as [string, string][] : []),
    ['_start.digit:', ''],
    ['mov $0xa, %ecx', ''],
    ['xor %edx, %edx', ''],
    ['div %rcx', 'rdx = rax % 10'],
    ['add $0x30, %dl', "'0' + digit"],
    ['dec %rsi', ''],
    ['mov %dl, (%rsi)', ''],
    ['test %rax, %rax', ''],
    ['jnz _start.digit', ''],
    ...(signed ? [['test %r8, %r8', ''], ['jns _start.write', ''], ['dec %rsi', ''], ['movb $0x2d, (%rsi)', "'-'"]] as [string, string][] : []),
    ['_start.write:', ''],
    ['mov $0x1, %eax', 'write'],
    ['mov $0x1, %edi', 'stdout'],
    ['lea 0x40(%rsp), %rdx', ''],
    ['sub %rsi, %rdx', 'length'],
    ['syscall', ''],
    ['mov $0x3c, %eax', 'exit'],
    ['xor %edi, %edi', 'status 0'],
    ['syscall', ''],
  ];
  return code.map(([text, comment]) => render(text, comment));
}

export const x86_64Backend: Backend = { emitFunc, emitData, hostedStart };
