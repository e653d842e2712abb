// Builds IR by hand for the back-end tests, the way the front end emits it: every Instr
// gets its 1-based index as `line` (so listings are checkable) and the value-stack depth
// before it, from the IR's own `stackEffect`. Nothing here knows about a target: the
// back-end tests add their own support routines and runners.
import { stackEffect, type BinOp, type Cond, type Func, type Instr, type Op, type Width } from '../../generator/compiler/ir.ts';

/** Emits code into a builder: a bit of expression or statement. */
export type Gen = (f: Fn) => void;

/** Single ops, and short straight-line runs of them, for bodies written as Op lists. */
export const ops = {
  imm: (value: bigint): Op => ({ op: 'imm', value }),
  push: { op: 'push' } as Op,
  pop: { op: 'pop' } as Op,
  ret: { op: 'ret' } as Op,
  label: (name: string): Op => ({ op: 'label', name }),
  call: (symbol: string, argc: number): Op => ({ op: 'call', symbol, argc }),
  slot: (s: number): Op => ({ op: 'slot.load', slot: s }),
  /** B = a, A = b, then `tail` (a binary op or comparison of a and b). */
  binary: (a: bigint, b: bigint, tail: Op): Op[] => [ops.imm(a), ops.push, ops.imm(b), ops.pop, tail],
  /** Pushes each value: the arguments of a call, arg 0 first. */
  args: (values: bigint[]): Op[] => values.flatMap((v) => [ops.imm(v), ops.push]),
  /** Prologue ops copying parameter k to slot `at[k]` (default: the slot of the same number). */
  params: (n: number, at?: number[]): Op[] => Array.from({ length: n }, (_, k): Op => ({ op: 'param', index: k, slot: at?.[k] ?? k })),
};

export interface Shape {
  /** Incoming arguments (default 0). */
  params?: number;
  /** Slots before any `local()` (default: one per parameter). */
  slots?: number;
  /** Parameter k lands in slot `paramSlots[k]` (default: slot k). */
  paramSlots?: number[];
  /** Start with the `param` ops (default); false when the body places its own. */
  prologue?: boolean;
}

/** Builds one Func of `file`. */
export class Fn {
  readonly body: Instr[] = [];
  readonly params: number;
  slots: number;
  private depth = 0;
  private maxDepth = 0;
  private labels = 0;

  constructor(readonly name: string, readonly file: string, shape: Shape = {}) {
    this.params = shape.params ?? 0;
    this.slots = shape.slots ?? this.params;
    if (shape.prologue ?? true) this.ops(ops.params(this.params, shape.paramSlots));
  }

  op(o: Op): this {
    const instr: Instr = { ...o, line: this.body.length + 1, depth: this.depth };
    this.body.push(instr);
    this.depth += stackEffect(o);
    if (this.depth < 0) throw new Error(`${this.name}: value stack underflow at ${instr.line}`);
    this.maxDepth = Math.max(this.maxDepth, this.depth);
    return this;
  }

  ops(list: Op[]): this {
    for (const o of list) this.op(o);
    return this;
  }

  /** Emits `gen` here. */
  emit(gen: Gen): this {
    gen(this);
    return this;
  }

  /** A fresh slot for a local. */
  local(): number {
    return this.slots++;
  }

  /** A label name unique to this function. */
  label(hint: string): string {
    return `${this.name}__${hint}${this.labels++}`;
  }

  imm(v: bigint): this { return this.op(ops.imm(v)); }
  get(slot: number): this { return this.op(ops.slot(slot)); }
  set(slot: number): this { return this.op({ op: 'slot.store', slot }); }
  push(): this { return this.op(ops.push); }

  /** A = lhs kind rhs. */
  bin(kind: BinOp, lhs: Gen, rhs: Gen): this {
    lhs(this); this.push(); rhs(this); this.op(ops.pop);
    return this.op({ op: 'bin', kind });
  }

  cmp(cond: Cond, lhs: Gen, rhs: Gen): this {
    lhs(this); this.push(); rhs(this); this.op(ops.pop);
    return this.op({ op: 'cmp', cond });
  }

  /** A = symbol(args…). */
  call(symbol: string, args: Gen[]): this {
    for (const a of args) { a(this); this.push(); }
    return this.op(ops.call(symbol, args.length));
  }

  /** A = (*target)(args…); the target is evaluated last, into A. */
  callPtr(target: Gen, args: Gen[]): this {
    for (const a of args) { a(this); this.push(); }
    target(this);
    return this.op({ op: 'call.ptr', argc: args.length });
  }

  /** A = memory[addr], `width` bytes. */
  load(width: Width, signed: boolean, addr: Gen): this {
    addr(this);
    return this.op({ op: 'load', width, signed });
  }

  /** memory[addr] = value. */
  store(width: Width, addr: Gen, value: Gen): this {
    addr(this); this.push(); value(this); this.op(ops.pop);
    return this.op({ op: 'store', width });
  }

  /** while (cond) body, with the test at the top (jz). */
  while(cond: Gen, body: Gen): this {
    const top = this.label('top');
    const end = this.label('end');
    this.op(ops.label(top));
    cond(this);
    this.op({ op: 'jz', target: end });
    body(this);
    this.op({ op: 'jump', target: top });
    return this.op(ops.label(end));
  }

  /** for (slot = 0; slot < n; slot++) body. */
  count(slot: number, n: bigint, body: Gen): this {
    this.imm(0n).set(slot);
    return this.while((f) => f.cmp('ult', (g) => g.get(slot), (g) => g.imm(n)), (f) => {
      body(f);
      f.bin('add', (g) => g.get(slot), (g) => g.imm(1n)).set(slot);
    });
  }

  ret(gen?: Gen): this {
    gen?.(this);
    return this.op(ops.ret);
  }

  finish(): Func {
    if (this.depth !== 0) throw new Error(`${this.name}: value stack not empty at the end (${this.depth})`);
    return { name: this.name, file: this.file, params: this.params, slots: this.slots, maxDepth: this.maxDepth, body: this.body };
  }
}

/** A Func of `file` whose body is exactly `body` (it places its own `param` ops). */
export function func(name: string, file: string, body: Op[], params = 0, slots = params): Func {
  return new Fn(name, file, { params, slots, prologue: false }).ops(body).finish();
}

/** Shorthands for argument generators. */
export const k = (v: bigint): Gen => (f) => { f.imm(v); };
export const slot = (s: number): Gen => (f) => { f.get(s); };
