// The AArch64 back end, end to end: hand-built IR programs are emitted, linked into
// Linux user-mode ELFs and run under qemu-aarch64; every result is printed and compared
// with a BigInt model. Checks are batched into a few executables (loops over value
// tables) so the suite stays quick.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinOp, Cond, Datum, Func, Instr, Op, Program, Width } from '../../generator/compiler/ir.ts';
import { arm64Backend, movImm, pairLoads } from '../../generator/compiler/backends/arm64.ts';
import { toUnit } from '../../generator/compiler/hosted.ts';
import { assemble, type SourceLine } from '../../generator/toolchain/assembler.ts';
import { arm64 } from '../../generator/targets/arm64.ts';
import { type Fn, type Gen, k, slot } from './ir-builder.ts';
import { peepholeProgram } from '../../generator/compiler/peephole.ts';
import {
  fn, print, hashFn, argHash, ABI_ARGS, programLines, runArm64, hex16, SOURCE,
} from './ir-programs/arm64-harness.ts';

const U = (x: bigint): bigint => BigInt.asUintN(64, x);
const S = (x: bigint): bigint => BigInt.asIntN(64, x);
const TOP = 2n ** 64n;

/** Edge operands: the brief's list plus shift counts around 64 and a mixed pattern. */
const VALS: bigint[] = [0n, 1n, 2n, 0x3fn, 0x40n, 2n ** 31n, 2n ** 32n, 2n ** 63n, 2n ** 63n - 1n, TOP - 1n, 0x123456789abcdef0n];
const BINOPS: BinOp[] = ['add', 'sub', 'mul', 'udiv', 'sdiv', 'urem', 'srem', 'and', 'or', 'xor', 'shl', 'lshr', 'ashr'];
const CONDS: Cond[] = ['eq', 'ne', 'ult', 'ule', 'ugt', 'uge', 'slt', 'sle', 'sgt', 'sge'];
const WIDTHS: Width[] = [1, 2, 4, 8];
const IMMS: bigint[] = [
  0n, 1n, 0xffffn, 0x10000n, 0xffff0000ffff0000n, 0x0000ffff0000ffffn, 0x1234000000000000n, TOP - 2n,
  TOP - 0x10000n, 0x8000000000000000n, 0x7fffffffffffffffn, 0xfffffffen, 0xffffffff00000000n, 0x0123456789abcdefn,
];

/** The IR's meaning of B kind A; null where it is undefined (division by zero). */
function binRef(kind: BinOp, b: bigint, a: bigint): bigint | null {
  const count = a & 0x3fn;
  switch (kind) {
    case 'add': return U(b + a);
    case 'sub': return U(b - a);
    case 'mul': return U(b * a);
    case 'udiv': return a ? b / a : null;
    case 'sdiv': return a ? U(S(b) / S(a)) : null; // BigInt division truncates, INT64_MIN / -1 wraps
    case 'urem': return a ? b % a : null;
    case 'srem': return a ? U(S(b) % S(a)) : null;
    case 'and': return b & a;
    case 'or': return b | a;
    case 'xor': return b ^ a;
    case 'shl': return U(b << count);
    case 'lshr': return b >> count;
    case 'ashr': return U(S(b) >> count);
  }
}

function cmpRef(cond: Cond, b: bigint, a: bigint): bigint {
  const [x, y] = cond.startsWith('s') ? [S(b), S(a)] : [b, a];
  const r = { eq: x === y, ne: x !== y, ult: x < y, ule: x <= y, ugt: x > y, uge: x >= y, slt: x < y, sle: x <= y, sgt: x > y, sge: x >= y }[cond];
  return r ? 1n : 0n;
}

const extRef = (w: Width, signed: boolean, v: bigint): bigint => U(signed ? BigInt.asIntN(8 * w, v) : BigInt.asUintN(8 * w, v));

/** A program under construction: its main prints values, `expected` says what each must be. */
class Suite {
  readonly funcs: Func[] = [];
  readonly data: Datum[] = [];
  readonly expected: { tag: string; what: string; value: bigint | null }[] = [];
  readonly main = fn('main', 0, 0);

  /** Prints `gen`'s value at run time, expecting `value` (null: anything). */
  check(tag: string, what: string, gen: Gen, value: bigint | null): void {
    this.main.emit(print(gen));
    this.expect(tag, what, value);
  }

  expect(tag: string, what: string, value: bigint | null): void {
    this.expected.push({ tag, what, value });
  }

  program(): Program {
    return { funcs: [this.main.ret(k(0n)).finish(), ...this.funcs], data: this.data };
  }
}

/** Lines that differ from the model, as "what: got …, want …", for one tag. */
function mismatches(suite: Suite, stdout: string, tag: string): string[] {
  const got = stdout.split('\n');
  return suite.expected.flatMap((e, n) => {
    if (e.tag !== tag || e.value === null || got[n] === hex16(e.value)) return [];
    return [`${e.what}: got ${got[n]}, want ${hex16(e.value)}`];
  }).slice(0, 0x14);
}

const datum = (symbol: string, bytes: number[] | Uint8Array, writable = false, align = 8): Datum =>
  ({ symbol, align, bytes: Uint8Array.from(bytes), writable });

/** VALS as a table of quads. */
function valsDatum(): Datum {
  const vb = new Uint8Array(8 * VALS.length);
  VALS.forEach((v, n) => new DataView(vb.buffer).setBigUint64(8 * n, v, true));
  return datum('vals', vb);
}

/** A = vals[slot i]. */
const val = (i: number): Gen => (f) => {
  f.load(8, false, (g) => g.bin('add', (h) => h.op({ op: 'addr.global', symbol: 'vals' }), (h) => h.bin('shl', slot(i), k(3n))));
};

const addr = (symbol: string, off: bigint): Gen => (f) => {
  f.bin('add', (g) => g.op({ op: 'addr.global', symbol }), k(off));
};

/** Every BinOp and Cond over all pairs of VALS, through two-parameter functions. */
function opsSuite(s: Suite): void {
  s.data.push(valsDatum());
  for (const kind of BINOPS) s.funcs.push(fn(`op_${kind}`, 2).ret((f) => f.bin(kind, slot(0), slot(1))).finish());
  for (const cond of CONDS) s.funcs.push(fn(`cmp_${cond}`, 2).ret((f) => f.cmp(cond, slot(0), slot(1))).finish());
  const [i, j, b, a] = [s.main.local(), s.main.local(), s.main.local(), s.main.local()];
  s.main.count(i, BigInt(VALS.length), (f) => f.count(j, BigInt(VALS.length), (g) => {
    val(i)(g); g.set(b); val(j)(g); g.set(a);
    for (const kind of BINOPS) g.emit(print((h) => h.call(`op_${kind}`, [slot(b), slot(a)])));
    for (const cond of CONDS) g.emit(print((h) => h.call(`cmp_${cond}`, [slot(b), slot(a)])));
  }));
  for (const b of VALS) {
    for (const a of VALS) {
      for (const kind of BINOPS) s.expect('bin', `${hex16(b)} ${kind} ${hex16(a)}`, binRef(kind, b, a));
      for (const cond of CONDS) s.expect('cmp', `${hex16(b)} ${cond} ${hex16(a)}`, cmpRef(cond, b, a));
    }
  }
}

/** ext of each width and signedness, neg and not, over VALS; immediates. */
function unarySuite(s: Suite): void {
  const [i, v] = [s.main.local(), s.main.local()];
  s.main.count(i, BigInt(VALS.length), (f) => {
    val(i)(f); f.set(v);
    for (const w of WIDTHS) for (const signed of [false, true]) f.emit(print((g) => g.get(v).op({ op: 'ext', width: w, signed })));
    f.emit(print((g) => g.get(v).op({ op: 'neg' })));
    f.emit(print((g) => g.get(v).op({ op: 'not' })));
  });
  for (const v of VALS) {
    for (const w of WIDTHS) for (const signed of [false, true]) s.expect('ext', `ext${w}${signed ? 's' : 'u'} ${hex16(v)}`, extRef(w, signed, v));
    s.expect('neg', `neg ${hex16(v)}`, U(-v));
    s.expect('neg', `not ${hex16(v)}`, U(~v));
  }
  for (const v of IMMS) s.check('imm', `imm ${hex16(v)}`, k(v), v);
}

/** Stores of each width at an aligned offset of a writable buffer, read back three ways. */
function memorySuite(s: Suite): void {
  s.data.push(valsDatum(), datum('buf', new Array<number>(0x10).fill(0xee), true));
  const i = s.main.local();
  s.main.count(i, BigInt(VALS.length), (f) => {
    for (const w of WIDTHS) {
      f.store(8, addr('buf', 0n), k(0n)).store(8, addr('buf', 8n), k(0n));
      f.store(w, addr('buf', BigInt(w)), val(i));
      f.emit(print((g) => g.load(8, false, addr('buf', 0n)))).emit(print((g) => g.load(8, false, addr('buf', 8n))));
      f.emit(print((g) => g.load(w, false, addr('buf', BigInt(w))))).emit(print((g) => g.load(w, true, addr('buf', BigInt(w)))));
    }
  });
  for (const v of VALS) {
    for (const w of WIDTHS) {
      const m = new DataView(new ArrayBuffer(0x10));
      for (let b = 0; b < w; b++) m.setUint8(w + b, Number((v >> BigInt(8 * b)) & 0xffn));
      s.expect('mem', `store${w} ${hex16(v)}: low quad`, m.getBigUint64(0, true));
      s.expect('mem', `store${w} ${hex16(v)}: high quad`, m.getBigUint64(8, true));
      s.expect('mem', `load${w}u ${hex16(v)}`, extRef(w, false, v));
      s.expect('mem', `load${w}s ${hex16(v)}`, extRef(w, true, v));
    }
  }
  // read-only data with a long zero run (emitted as .skip) and bytes after it
  const ro = [0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, ...new Array<number>(0x30).fill(0), 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12];
  s.data.push(datum('tail', [0x5]), datum('ro', ro, false, 0x10));
  s.check('mem', 'ro load8', (f) => f.load(8, false, addr('ro', 0n)), 0x8887868584838281n);
  s.check('mem', 'ro load4s', (f) => f.load(4, true, addr('ro', 4n)), U(-0x7778797bn));
  s.check('mem', 'ro load2s', (f) => f.load(2, true, addr('ro', 2n)), U(-0x7b7dn));
  s.check('mem', 'ro load1s', (f) => f.load(1, true, addr('ro', 7n)), U(-0x78n));
  s.check('mem', 'ro after zeros', (f) => f.load(8, false, addr('ro', 0x38n)), 0x123456789abcdef0n);
  s.check('mem', 'ro zeros', (f) => f.load(8, false, addr('ro', 0x30n)), 0n);
  s.check('mem', 'byte datum', (f) => f.load(1, false, addr('tail', 0n)), 5n);
  // folded address offsets (peephole.ts): scaled, unaligned (an add first), beyond the scaled range
  const roAt = (f: Fn): Fn => f.op({ op: 'addr.global', symbol: 'ro' });
  const at = (width: Width, signed: boolean, offset: number): Op => ({ op: 'load', width, signed, offset });
  s.check('mem', 'load4s at +0x38', (f) => roAt(f).op(at(4, true, 0x38)), U(0x9abcdef0n - 0x1_0000_0000n));
  s.check('mem', 'load2u at +0x3e', (f) => roAt(f).op(at(2, false, 0x3e)), 0x1234n);
  s.check('mem', 'load8 at +1 (unaligned)', (f) => roAt(f).op(at(8, false, 1)), 0x0088878685848382n);
  s.check('mem', 'load8 at +0x10000', (f) => roAt(f).op({ op: 'bin.r', kind: 'sub', rhs: { kind: 'imm', value: 0x10000n } }).op(at(8, false, 0x10000)), 0x8887868584838281n);
  const buf = (f: Fn): Fn => f.op({ op: 'addr.global', symbol: 'buf' });
  // a computed value stored through an address in a slot (store.a after the pass), scaled and unaligned
  const p = s.main.local();
  buf(s.main).set(p);
  s.check('mem', 'computed store to slot + 8 and + 3', (f) => {
    f.store(8, (g) => g.bin('add', slot(p), k(8n)), (g) => g.imm(0x1122_3344_5566_7788n).op({ op: 'not' }).op({ op: 'not' }));
    f.store(1, (g) => g.bin('add', slot(p), k(0xbn)), (g) => g.imm(0xabn).op({ op: 'not' }).op({ op: 'not' }));
    f.load(8, false, (g) => g.bin('add', slot(p), k(8n)));
  }, 0x1122_3344_ab66_7788n);
  s.check('mem', 'store.r 2 at +6, zero 4 at +8', (f) => {
    buf(f).op({ op: 'store.r', width: 8, rhs: { kind: 'imm', value: U(-1n) }, offset: 8 });
    buf(f).op({ op: 'store.r', width: 2, rhs: { kind: 'imm', value: 0xbeefn }, offset: 6 });
    buf(f).op({ op: 'store.r', width: 4, rhs: { kind: 'imm', value: 0n }, offset: 9 });
    buf(f).op({ op: 'load', width: 8, signed: false, offset: 6 });
  }, 0xff00_0000_00ff_beefn);
  // a void function: its body falls off the end into the epilogue
  s.funcs.push(fn('setbuf', 1).store(8, addr('buf', 8n), slot(0)).finish());
  s.main.call('setbuf', [k(0xfeedn)]);
  s.check('mem', 'void function stored', (f) => f.load(8, false, addr('buf', 8n)), 0xfeedn);
}

/** Distinct full-width arguments. */
const argsOf = (n: number): bigint[] => Array.from({ length: n }, (_, p) => U(0x0101010101010101n * BigInt(p + 1) ^ (p % 2 ? 1n << 63n : 0n)));

function recursive(): Func[] {
  const fib = fn('fib', 1);
  fib.cmp('ult', slot(0), k(2n)).op({ op: 'jz', target: 'fib__rec' }).ret(slot(0));
  fib.op({ op: 'label', name: 'fib__rec' });
  fib.ret((f) => f.bin('add', (g) => g.call('fib', [(h) => h.bin('sub', slot(0), k(1n))]), (g) => g.call('fib', [(h) => h.bin('sub', slot(0), k(2n))])));
  const sum = fn('sumdown', 1);
  sum.get(0).op({ op: 'jnz', target: 'sumdown__rec' }).ret(k(0n));
  sum.op({ op: 'label', name: 'sumdown__rec' });
  sum.ret((f) => f.bin('add', slot(0), (g) => g.call('sumdown', [(h) => h.bin('sub', slot(0), k(1n))])));
  return [fib.finish(), sum.finish()];
}

/** Ten parameters (two on the stack) kept in slots far from x29: ldur, sub and movz paths. */
function wide(): Func {
  const params = Array.from({ length: 0xa }, (_, p) => 0x257 - p);
  const f = fn('wide', 0xa, 0x258, params);
  f.imm(0n).set(0x1f);
  for (const p of params) {
    f.get(p).set(0x20).get(0x20).set(0x1ff);
    f.bin('add', (g) => g.bin('mul', slot(0x1f), k(0x1fn)), slot(0x1ff)).set(0x1f);
  }
  return f.ret(slot(0x1f)).finish();
}

/** Direct calls with 0–16 arguments, nested calls, and the values stacked below them. */
/** Frames of every shape: none (a leaf without slots), one past stp's reach, a return with values stacked. */
function frameFns(): Func[] {
  const big = fn('big9', 9, 0x50); // 0x280 bytes of slots; param 8 arrives on the stack
  big.get(8).set(0x4f);
  big.ret((g) => g.bin('add', slot(0x4f), (h) => h.call('hash1', [slot(0)])));
  const stacked = fn('stacked', 1);
  stacked.imm(9n).push().get(0).ret().op({ op: 'label', name: 'stacked__never' }).op({ op: 'drop', count: 1 }).ret(k(0n));
  return [big.finish(), stacked.finish()];
}

function callsSuite(s: Suite): void {
  const counts = [1, 8, 9, 0xc, 0x10];
  s.funcs.push(fn('c0', 0).ret(k(0x2an)).finish(), ...counts.map((n) => hashFn(`hash${n}`, n)));
  const sentinel = 0x5e5e5e5e00000000n;
  s.main.imm(sentinel).push();
  s.check('call', 'c0()', (f) => f.call('c0', []), 0x2an);
  s.funcs.push(...frameFns());
  s.check('call', 'big frame', (f) => f.call('big9', argsOf(9).map(k)), U(argsOf(9)[8] + argHash([argsOf(9)[0]])));
  s.check('call', 'return with a value stacked', (f) => f.call('stacked', [k(0x33n)]), 0x33n);
  for (const n of counts) s.check('call', `hash${n}`, (f) => f.call(`hash${n}`, argsOf(n).map(k)), argHash(argsOf(n)));
  s.check('call', 'sentinel kept below arguments', (f) => f.op({ op: 'pop' }).imm(0n).op({ op: 'bin', kind: 'add' }), sentinel);
  s.check('call', 'nested calls in arguments', (f) => f.call('hash9', [
    (g) => g.call('hash1', [k(7n)]), k(2n), (g) => g.call('hash8', argsOf(8).map(k)), k(4n), k(5n),
    (g) => g.call('hash12', argsOf(0xc).map(k)), k(7n), k(8n), (g) => g.call('c0', []),
  ]), argHash([7n, 2n, argHash(argsOf(8)), 4n, 5n, argHash(argsOf(0xc)), 7n, 8n, 0x2an]));
  // the argument in A between operands (peephole.ts defers stacked operands to the call)
  const tail = (n: number, at: number): Op => ({
    op: 'call', symbol: `hash${n}`, argc: n, tail: argsOf(n).map((v, a) => (a === at ? { kind: 'acc' } : { kind: 'imm', value: v })),
  });
  for (const [n, at] of [[8, 3], [0xc, 2], [0xc, 9]]) {
    s.check('tail', `hash${n} with A as argument ${at}`, (f) => f.imm(argsOf(n)[at]).op(tail(n, at)), argHash(argsOf(n)));
  }
}

const fnAddr = (symbol: string): Gen => (f) => { f.op({ op: 'addr.func', symbol }); };

/** call.ptr through addr.func, the AAPCS64 probes in both directions, recursion. */
function pointersSuite(s: Suite): void {
  s.funcs.push(fn('c0', 0).ret(k(0x2an)).finish(), hashFn('hash1', 1), hashFn('hash12', 0xc), ...recursive(), wide());
  const busy = fn('busy12', 0xc); // a compiled function that itself passes stack arguments
  busy.ret((f) => f.bin('add', (g) => g.call('t__abi_callee12', Array.from({ length: 0xc }, (_, p) => slot(p))), (g) => g.call('fib', [k(5n)])));
  s.funcs.push(busy.finish());
  const fp = s.main.local();
  fnAddr('hash12')(s.main);
  s.main.set(fp);
  s.check('ptr', 'call.ptr hash12', (f) => f.callPtr(slot(fp), argsOf(0xc).map(k)), argHash(argsOf(0xc)));
  s.check('ptr', 'call.ptr c0', (f) => f.callPtr(fnAddr('c0'), []), 0x2an);
  s.check('ptr', 'call.ptr hash1', (f) => f.callPtr(fnAddr('hash1'), [k(9n)]), 9n);
  s.check('ptr', 'call.ptr wide', (f) => f.callPtr(fnAddr('wide'), argsOf(0xa).map(k)), argHash(argsOf(0xa)));
  s.check('abi', 'AAPCS64 caller → hash12', (f) => f.call('t__abi_caller', [fnAddr('hash12')]), argHash(ABI_ARGS));
  s.check('abi', 'AAPCS64 caller → busy12', (f) => f.call('t__abi_caller', [fnAddr('busy12')]), U(argHash(ABI_ARGS) + 5n));
  s.check('abi', 'compiled caller → AAPCS64 callee', (f) => f.call('t__abi_callee12', ABI_ARGS.map(k)), argHash(ABI_ARGS));
  s.check('rec', 'fib(0x14)', (f) => f.call('fib', [k(0x14n)]), 6765n);
  s.check('rec', 'sumdown(10000)', (f) => f.call('sumdown', [k(10000n)]), 50005000n);
}

function loopsAndStack(s: Suite): void {
  // a body that ends in a jump: its only way out is the ret inside the loop
  const cd = fn('countdown', 1);
  cd.op({ op: 'label', name: 'countdown__top' }).get(0).op({ op: 'jnz', target: 'countdown__more' }).ret(k(7n));
  cd.op({ op: 'label', name: 'countdown__more' }).bin('sub', slot(0), k(1n)).set(0).op({ op: 'jump', target: 'countdown__top' });
  s.funcs.push(cd.finish());
  s.check('loop', 'loop whose body ends in a jump', (f) => f.call('countdown', [k(0x20n)]), 7n);
  const [i, acc] = [s.main.local(), s.main.local()];
  s.main.imm(0n).set(acc);
  s.main.count(i, 0x65n, (f) => f.bin('add', slot(acc), slot(i)).set(acc));
  s.check('loop', 'while/jz sum 0..100', slot(acc), 5050n);
  const top = s.main.label('do');
  s.main.imm(0xan).set(i).imm(0n).set(acc).op({ op: 'label', name: top });
  s.main.bin('add', slot(acc), slot(i)).set(acc).bin('sub', slot(i), k(1n)).set(i).op({ op: 'jnz', target: top });
  s.check('loop', 'do/jnz sum 10..1', slot(acc), 55n);
  s.check('stack', 'sum of 64 stacked values', (f) => {
    for (let n = 1n; n < 0x40n; n++) f.imm(n).push();
    f.imm(0x40n);
    for (let n = 1; n < 0x40; n++) f.op({ op: 'pop' }).op({ op: 'bin', kind: 'add' });
  }, 0x820n);
  slotUpdates(s, i);
  s.check('stack', 'drop small and large counts', (f) => {
    f.imm(0x77n).push();
    for (const n of [3, 0x100]) { // 0x100 values: too many bytes for an add immediate
      for (let m = 0; m < n; m++) f.push();
      f.op({ op: 'drop', count: n });
    }
    f.op({ op: 'pop' }).imm(1n).op({ op: 'bin', kind: 'add' });
  }, 0x78n);
}

/** slot.set and slot.add (the pass emits them where A is dead) with immediates of every size, and slots x0 still holds. */
function slotUpdates(s: Suite, i: number): void {
  for (const [v, step] of [[0n, 1n], [0x1234_5678_9abc_def0n, U(-0x1000n)], [5n, 0x1_0000n], [U(-1n), 0n]]) {
    const set: Op = { op: 'slot.set', slot: i, value: v };
    s.check('slots', `set ${hex16(v)}, add ${hex16(step)}`, (f) => f.op(set).op({ op: 'slot.add', slot: i, value: step }).get(i), U(v + step));
  }
  // after slot.add and jcmp.s x0 holds the slot: neither the test nor the reload loads it again
  s.check('slots', 'slot tested and reloaded from x0', (f) => {
    const [bad, done] = [f.label('bad'), f.label('done')];
    f.op({ op: 'slot.set', slot: i, value: 5n }).op({ op: 'slot.add', slot: i, value: 3n });
    f.op({ op: 'jcmp.s', cond: 'ne', slot: i, value: 8n, target: bad }).get(i).op({ op: 'jump', target: done });
    f.op({ op: 'label', name: bad }).imm(0xbadn).op({ op: 'label', name: done });
  }, 8n);
}

/**
 * Every BinOp and Cond with each edge value as an immediate right operand (bin.r and
 * cmp.r after the peephole pass), and branches on every Cond (jcmp.r; jcmp when the
 * right operand is computed).
 */
function immSuite(s: Suite): void {
  s.data.push(valsDatum());
  const [i, b] = [s.main.local(), s.main.local()];
  const computed = (a: bigint): Gen => (f) => { f.imm(a).op({ op: 'not' }).op({ op: 'not' }); };
  s.main.count(i, BigInt(VALS.length), (g) => {
    val(i)(g); g.set(b);
    for (const a of VALS) {
      for (const kind of BINOPS) g.emit(print((h) => h.bin(kind, slot(b), k(a))));
      for (const cond of CONDS) {
        // computed on both sides: still a jcmp (B cond A) after the pass, nothing to reorder
        const both: Gen = (h) => { h.get(b).op({ op: 'not' }).op({ op: 'not' }); };
        for (const [lhs, rhs] of [[slot(b), k(a)], [both, computed(a)]]) {
          const [no, done] = [g.label('no'), g.label('done')];
          g.cmp(cond, lhs, rhs).op({ op: 'jz', target: no }).emit(print(k(1n))).op({ op: 'jump', target: done });
          g.op({ op: 'label', name: no }).emit(print(k(0n))).op({ op: 'label', name: done });
        }
      }
    }
  });
  // logical immediates whose run of ones wraps around bit 63
  const v = 0x123456789abcdef0n;
  for (const [kind, m] of [['and', 0xff00_0000_0000_000fn], ['xor', 0x8000_0000_0000_0001n]] as const) {
    s.main.emit(print((g) => g.imm(v).op({ op: 'bin.r', kind, rhs: { kind: 'imm', value: m } })));
  }
  for (const bv of VALS) {
    for (const a of VALS) {
      for (const kind of BINOPS) s.expect('bin', `${hex16(bv)} ${kind} #${hex16(a)}`, binRef(kind, bv, a));
      for (const cond of CONDS) for (const how of ['#', '']) s.expect('cmp', `${hex16(bv)} ${cond} ${how}${hex16(a)}`, cmpRef(cond, bv, a));
    }
  }
  s.expect('bin', 'and #0xff0000000000000f', v & 0xff00_0000_0000_000fn);
  s.expect('bin', 'xor #0x8000000000000001', v ^ 0x8000_0000_0000_0001n);
}

const suites: Record<string, Suite> = { ops: new Suite(), mem: new Suite(), calls: new Suite(), pointers: new Suite(), stack: new Suite(), imm: new Suite() };
immSuite(suites.imm);
opsSuite(suites.ops);
unarySuite(suites.ops);
memorySuite(suites.mem);
callsSuite(suites.calls);
pointersSuite(suites.pointers);
loopsAndStack(suites.stack);
// each suite twice: as built, and after the peephole pass (the fused ops); `<name>+pp`
const LINES: Record<string, string[]> = Object.fromEntries(Object.entries(suites).flatMap(([n, s]) => {
  const p = s.program();
  return [[n, programLines(p, 'main', n === 'calls')], [`${n}+pp`, programLines(peepholeProgram(p), 'main', n === 'calls')]];
}));

const DECIMAL: [bigint, boolean, string][] = [
  [0n, false, '0'], [0n, true, '0'], [1n, true, '1'], [0xan, false, '10'], [U(-1n), true, '-1'], [U(-0xan), true, '-10'],
  [TOP - 1n, false, '18446744073709551615'], [2n ** 63n, true, '-9223372036854775808'],
  [2n ** 63n - 1n, true, '9223372036854775807'], [2n ** 63n, false, '9223372036854775808'], [1234567890n, true, '1234567890'],
];

function decimalLines(v: bigint, signed: boolean): string[] {
  return programLines({ funcs: [fn('main', 0).ret(k(v)).finish()], data: [] }, 'main', signed);
}

const out: Record<string, string> = {};
const decimalOut: string[] = [];

describe('arm64 back end under qemu-aarch64', () => {
  beforeAll(async () => {
    // a crash becomes the program's output, so the tests name the program that failed
    const run = (lines: string[]): Promise<string> => runArm64(lines).catch((e: unknown) => `crashed: ${String(e)}`);
    const runs = Object.entries(LINES).map(async ([n, lines]) => { out[n] = await run(lines); });
    const decimals = DECIMAL.map(async ([v, signed], n) => { decimalOut[n] = await run(decimalLines(v, signed)); });
    await Promise.all([...runs, ...decimals]);
  });

  it.each(['bin', 'cmp'])('computes every %s op over all pairs of edge values', (tag) => {
    expect(suites.ops.expected.filter((e) => e.tag === tag).length).toBeGreaterThan(0x400);
    expect(mismatches(suites.ops, out.ops, tag)).toEqual([]);
  });

  it.each([['ops', 'ext'], ['ops', 'neg'], ['ops', 'imm'], ['mem', 'mem']])('%s: gets %s right at edge values', (suite, tag) => {
    expect(mismatches(suites[suite], out[suite], tag)).toEqual([]);
  });

  it('prints exactly the lines the model expects', () => {
    for (const [n, s] of Object.entries(suites)) expect(out[n].split('\n').length, n).toBe(s.expected.length + 2); // + main's result, trailing ""
  });

  it.each(Object.keys(suites))('%s: the peephole-optimised program prints what the model expects', (n) => {
    const s = suites[n];
    for (const tag of new Set(s.expected.map((e) => e.tag))) expect(mismatches(s, out[`${n}+pp`], tag), tag).toEqual([]);
    expect(out[`${n}+pp`].split('\n').length).toBe(s.expected.length + 2);
  });

  it.each(['bin', 'cmp'])('imm: computes every %s op with an immediate right operand', (tag) => {
    expect(mismatches(suites.imm, out.imm, tag)).toEqual([]);
  });

  it.each([['calls', 'call'], ['pointers', 'ptr'], ['pointers', 'abi'], ['pointers', 'rec'], ['stack', 'loop'], ['stack', 'stack'], ['stack', 'slots'], ['calls', 'tail']])('%s: gets %s right', (suite, tag) => {
    expect(mismatches(suites[suite], out[suite], tag)).toEqual([]);
  });

  it('prints main\'s result in decimal, signed and unsigned', () => {
    expect(decimalOut).toEqual(DECIMAL.map(([, , text]) => `${text}\n`));
  });
});

/** GNU as for AArch64: the .text bytes of the same source. */
function gnuAssemble(lines: SourceLine[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'gp-gas-'));
  try {
    writeFileSync(join(dir, 'unit.s'), lines.map((l) => l.text).join('\n') + '\n');
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'unit.o'), join(dir, 'unit.s')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'unit.o'), join(dir, 'unit.bin')]);
    return readFileSync(join(dir, 'unit.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('arm64 back end assembly', () => {
  it.each(Object.keys(LINES))('%s program: keystone and GNU as give the same bytes', async (n) => {
    const unit = toUnit('<compiled>', LINES[n]);
    const ks = await assemble(unit, arm64.asm, 0x40_0000n);
    expect(Buffer.from(ks).equals(gnuAssemble(unit))).toBe(true);
  });

  it('cross-checks the SP-relative frame forms: ldp of slots, far slots and stack arguments', async () => {
    const text = Object.values(LINES).flat().map((l) => l.split('//')[0].replace(/\s+/g, ' ')).join('\n');
    expect(text).toMatch(/ldp x\d+, x\d+, \[sp, #0x/);
    expect(text).toMatch(/ldr x10, \[sp, #0x/); // a stacked value moving to a stack argument
    const far = fn('far', 9, 0x1010).emit((g) => g.call('far', [])).get(0x100f).set(0x1000).get(8).set(0x100e).ret(slot(0x1000)).finish(); // beyond ldr's reach
    const lines = arm64Backend.emitFunc(far);
    // the same as a leaf: no frame record, so parameter 8 lies 0x10 lower, just above the slots
    const leafFar = fn('far', 9, 0x1010).get(8).set(0x100e).ret(slot(0x1000)).finish();
    const leafText = arm64Backend.emitFunc(leafFar).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' ')).join('\n');
    expect(leafText).toMatch(/^movz x9, #0x8080\nsub sp, sp, x9\nstp x0, x1, \[sp, #0x0\]$/m); // too far for a pre-indexed stp
    expect(leafText).toMatch(/movz x9, #0x8080\nadd x9, sp, x9\nldr x0, \[x9\]/);
    expect(lines.join('\n')).toMatch(/add\s+x9, sp, x9/);
    // parameter 8 (slot 8) stays where it arrived, just above the far frame: read in place, no copy
    expect(lines.join('\n')).not.toMatch(/\bx10\b/);
    expect(lines.join('\n')).toMatch(/movz\s+x9, #0x8090/);
    const unit = toUnit('<compiled>', lines);
    expect(Buffer.from(await assemble(unit, arm64.asm, 0x40_0000n)).equals(gnuAssemble(unit))).toBe(true);
  });

  it.each(Object.keys(LINES))('%s program: the same bytes at any base (PC-relative only)', async (n) => {
    const unit = toUnit('<compiled>', LINES[n]);
    const [a, b] = await Promise.all([assemble(unit, arm64.asm, 0x40_0000n), assemble(unit, arm64.asm, 0x7654_3210n)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('tags every instruction line with the IR source file:line', () => {
    const f = suites.pointers.funcs.find((g) => g.name === 'wide');
    if (!f) throw new Error('no wide');
    const lines = arm64Backend.emitFunc(f);
    for (const l of lines) expect(l).toMatch(new RegExp(`// ${SOURCE.replace(/\./g, '\\.')}:\\d+$`));
    const used = new Set(lines.map((l) => Number(/:(\d+)$/.exec(l)?.[1])));
    expect(used.size).toBeGreaterThan(0xa);
    expect(Math.max(...used)).toBeLessThanOrEqual(f.body.length);
  });

  it('gives a leaf without slots no frame; pairs parameter stores; keeps parameter 0 in x0', () => {
    const text = (f: Func): string[] => arm64Backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
    expect(text(fn('leaf', 0).ret(k(1n)).finish())).toEqual(['leaf:', 'movz x0, #0x1', 'leaf.exit:', 'ret']);
    const two = fn('two', 3);
    two.emit((g) => g.call('leaf', [])).ret((g) => g.bin('add', slot(0), slot(2)));
    expect(text(two.finish())).toEqual([
      'two:', 'stp x29, x30, [sp, #-0x30]!', 'stp x0, x1, [sp, #0x10]', 'str x2, [sp, #0x20]', 'bl leaf', 'ldr x0, [sp, #0x10]',
      // slot 2 one value-stack cell deeper: SP-relative, no frame pointer
      'str x0, [sp, #-0x10]!', 'ldr x0, [sp, #0x30]', 'ldr x1, [sp], #0x10', 'add x0, x1, x0', 'two.exit:', 'ldp x29, x30, [sp], #0x30', 'ret',
    ]);
    // a leaf saves no frame record; its first parameter store allocates the frame
    const leafTwo = fn('two', 3);
    leafTwo.ret((g) => g.bin('add', slot(0), slot(2)));
    expect(text(leafTwo.finish())).toEqual([
      'two:', 'stp x0, x1, [sp, #-0x20]!', 'str x2, [sp, #0x10]',
      'str x0, [sp, #-0x10]!', 'ldr x0, [sp, #0x20]', 'ldr x1, [sp], #0x10', 'add x0, x1, x0', 'two.exit:', 'add sp, sp, #0x20', 'ret',
    ]);
    // nothing to fold where no parameter lives in slot 0
    expect(text(fn('one', 1, 2, [1]).ret(slot(1)).finish())).toEqual(['one:', 'sub sp, sp, #0x10', 'str x0, [sp, #0x8]', 'one.exit:', 'add sp, sp, #0x10', 'ret']);
  });

  it('stores zero from xzr, and loads no slot that x0 already holds', () => {
    const text = (f: Func): string[] => arm64Backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
    const f = fn('held', 0, 2);
    f.op({ op: 'slot.set', slot: 1, value: 0n }).op({ op: 'slot.add', slot: 0, value: 3n });
    f.op({ op: 'jcmp.s', cond: 'ne', slot: 0, value: 8n, target: 'held__no' }).get(0).op({ op: 'label', name: 'held__no' }).get(0).get(1);
    expect(text(f.ret().finish()).slice(2, -3)).toEqual([
      'str xzr, [sp, #0x8]', 'ldr x0, [sp, #0x0]', 'add x0, x0, #0x3', 'str x0, [sp, #0x0]', 'cmp x0, #0x8', 'b.ne held__no',
      'held__no:', 'ldr x0, [sp, #0x0]', 'ldr x0, [sp, #0x8]', // after a label x0 is unknown; another slot is loaded (a leaf: no record below the slots)
    ]);
  });

  it('pairs adjacent loads of neighbouring SP cells into ldp, and nothing else', () => {
    const pair = (...code: string[]): string[] => pairLoads(code.map((c, n): [string, number] => [c, n])).map(([c]) => c);
    expect(pair('ldr x0, [sp, #0x10]', 'ldr x1, [sp, #0x18]')).toEqual(['ldp x0, x1, [sp, #0x10]']);
    expect(pair('ldr x1, [sp, #0x18]', 'ldr x0, [sp, #0x10]')).toEqual(['ldp x0, x1, [sp, #0x10]']);
    expect(pair('ldr x2, [sp, #0x1f8]', 'ldr x0, [sp, #0x200]')).toEqual(['ldp x2, x0, [sp, #0x1f8]']);
    const keep = [
      ['ldr x0, [sp, #0x10]', 'ldr x0, [sp, #0x18]'], // same register
      ['ldr x0, [sp, #0x10]', 'ldr x1, [sp, #0x20]'], // not neighbours
      ['ldr x0, [sp, #0x200]', 'ldr x1, [sp, #0x208]'], // beyond ldp's reach
      ['ldr x0, [sp, #0x10]', 'l:', 'ldr x1, [sp, #0x18]'], // a label between
      ['ldr x1, [sp], #0x10', 'ldr x0, [sp, #0x8]'], // post-index
    ];
    for (const code of keep) expect(pair(...code)).toEqual(code);
    expect(pair('ldr x0, [sp, #0x10]', 'ldr x1, [sp, #0x18]', 'ldr x2, [sp, #0x20]')).toEqual(['ldp x0, x1, [sp, #0x10]', 'ldr x2, [sp, #0x20]']);
  });

  it('pops the values still stacked at a ret before the shared exit', () => {
    const text = (f: Func): string[] => arm64Backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
    const ops: [Op, number][] = [
      [{ op: 'param', index: 0, slot: 0 }, 0], [{ op: 'slot.load', slot: 0 }, 0], [{ op: 'push' }, 0], [{ op: 'jz', target: 'deep__z' }, 1],
      [{ op: 'slot.load', slot: 0 }, 1], [{ op: 'ret' }, 1], [{ op: 'label', name: 'deep__z' }, 1], [{ op: 'push' }, 1],
      [{ op: 'imm', value: 7n }, 2], [{ op: 'ret' }, 2],
    ];
    const body = ops.map(([o, depth], n): Instr => ({ ...o, line: n + 1, depth }) as Instr);
    expect(text({ name: 'deep', file: 'deep.ts', params: 1, slots: 1, maxDepth: 2, body })).toEqual([
      'deep:', 'str x0, [sp, #-0x10]!', // a leaf: parameter 0's store allocates the frame
      'str x0, [sp, #-0x10]!', 'cbz x0, deep__z', 'ldr x0, [sp, #0x10]', 'add sp, sp, #0x10', 'b deep.exit',
      'deep__z:', 'str x0, [sp, #-0x10]!', 'movz x0, #0x7', 'add sp, sp, #0x20', 'deep.exit:', 'add sp, sp, #0x10', 'ret',
    ]);
  });

  it('uses logical immediates for one-run masks only', () => {
    const text = (kind: BinOp, value: bigint): string[] => arm64Backend.emitFunc(fn('m', 0).op({ op: 'bin.r', kind, rhs: { kind: 'imm', value } }).ret().finish())
      .map((l) => l.split('//')[0].trim().replace(/\s+/g, ' ')).filter((l) => /^(and|orr|eor|mov|movz|movk|movn) x[01]/.test(l));
    expect(text('and', 0xfffn)).toEqual(['and x0, x0, #0xfff']);
    expect(text('or', U(-0x1000n))).toEqual(['orr x0, x0, #0xfffffffffffff000']);
    expect(text('xor', 0x8000_0000_0000_0001n)).toEqual(['eor x0, x0, #0x8000000000000001']);
    expect(text('and', 0x505n)).toEqual(['movz x1, #0x505', 'and x0, x0, x1']);
    expect(text('and', U(-1n))).toEqual(['movn x1, #0x0', 'and x0, x0, x1']);
  });

  it('builds immediates with the fewest movz/movn/movk', () => {
    expect(movImm('x0', 0n)).toEqual(['movz x0, #0x0']);
    expect(movImm('x0', -1n)).toEqual(['movn x0, #0x0']);
    expect(movImm('x0', 0x1234_0000_0000n)).toEqual(['movz x0, #0x1234, lsl #0x20']);
    expect(movImm('x0', -0x10001n)).toEqual(['movn x0, #0x1, lsl #0x10']);
    expect(movImm('x0', -0x10002n)).toEqual(['movn x0, #0x1', 'movk x0, #0xfffe, lsl #0x10']);
    expect(movImm('x0', 0x0123456789abcdefn)).toHaveLength(4);
  });

  it('rejects IR whose value stack underflows, naming file:line', () => {
    const bad: Func = { name: 'bad', file: 'x.ts', params: 0, slots: 0, maxDepth: 0, body: [{ op: 'pop', line: 7, depth: 0 }] };
    expect(() => arm64Backend.emitFunc(bad)).toThrow(/^x\.ts:7: pop needs 1 stacked values/);
  });

  it('aligns and emits data as quads and bytes, zero runs as .skip', () => {
    const lines = arm64Backend.emitData([datum('d', [1, 2, ...new Array<number>(0x20).fill(0), 3], true, 0x10)]);
    expect(lines.map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '))).toEqual(['.p2align 0x4', 'd:', '.quad 0x201, 0x0', '.skip 0x12', '.byte 0x3']);
    expect(lines.every((l) => l.endsWith('// data d'))).toBe(true);
    const odd = arm64Backend.emitData([datum('o', [1, 2, 3, 4, 5, 6, 7, 8, 9], false, 4)]);
    expect(odd.map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '))).toEqual(['.p2align 0x2', 'o:', '.byte 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9']);
    expect(() => arm64Backend.emitData([datum('e', [0], false, 3)])).toThrow(/power of two/);
  });
});
