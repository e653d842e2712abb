// The IR peephole pass: rewrites the front end's stack-machine code into the fused ops of
// ir.ts, so the back ends stop sending every right operand through the value stack.
// Each rule matches a few adjacent ops and replaces them with one op of the same meaning:
//
//   push; X; pop; bin k            → bin.r k X      (X: imm, slot.load, addr.global/func)
//   push; X; pop; cmp c            → cmp.r c X
//   X; push; Y…; pop; bin/cmp      → Y…; bin.r/cmp.r X (commutative ops; cmp swapped)
//   push; X; pop; store w          → store.r w X    when A is dead afterwards
//   X; [+k;] push; Y…; pop; store w → Y…; store.a w X +k (Y as for the reordering)
//   cmp c; jz/jnz L                → jcmp ¬c/c L    when A is dead on both paths
//   cmp.r c X; jz/jnz L            → jcmp.r ¬c/c X L (same condition)
//   slot.load s; jz/jnz L or jcmp.r c k L → jcmp.s s c k L (same condition; k a small
//                                    immediate): x86-64 compares the slot in memory
//   X0; push; …; Xn; push; call f  → call f with tail [X0 … Xn]; a complex argument
//                                    just before the simple ones stays in A ('acc')
//   X; push; Y…; call f [… acc …]  → Y…; call f [X, … acc …] (Y as for the reordering):
//                                    operand arguments below the one in A join the tail
//   bin.r add k; load/store.r      → load/store.r at offset k (0 ≤ k < 2^31; store.r
//                                    only when A is dead afterwards)
//   addr.global s; load            → load from s (+ offset)
//   bin.r mul/udiv/urem 2^k        → bin.r shl k / lshr k / and 2^k - 1
//   slot.store s; slot.load s      → slot.store s
//   imm v; slot.store s            → slot.set s v   when A is dead afterwards
//   slot.load s; bin.r add/sub k; slot.store s → slot.add s ±k (same condition)
//   code after ret/jump up to the next label, and `jump L; L:` → removed
//
// Before the sweep, peephole-flow.ts threads jumps, shares repeated `X; ret` tails and
// drops unused labels; after it, it threads, inverts and drops branches again, the
// fused ones included (tidyBranches).
//
// "A is dead" is decided by looking forward along the straight-line path (following
// jumps) for an op that overwrites A before anything reads it (a call that takes no
// argument from A counts); anything else counts as live, so the rules only fire where they are plainly safe. Depths are recomputed at
// the end with the IR's own stackEffect.
import { dropUnusedLabels, NEGATE, shareReturns, threadJumps, tidyBranches } from './peephole-flow.ts';
import { stackEffect, type ArgSource, type Cond, type Func, type Instr, type Op, type Operand, type Program } from './ir.ts';

/** The operand an op loads into A, if it is a plain load with no other effect. */
export function operandOf(i: Op): Operand | undefined {
  switch (i.op) {
    case 'imm': return { kind: 'imm', value: i.value };
    case 'slot.load': return { kind: 'slot', slot: i.slot };
    case 'addr.global': return { kind: 'global', symbol: i.symbol };
    case 'addr.func': return { kind: 'func', symbol: i.symbol };
    default: return undefined;
  }
}

/** Ops that overwrite A without reading it. */
const killsA = (i: Op): boolean => operandOf(i) !== undefined || (i.op === 'load' && i.symbol !== undefined);

/** Ops after which A is overwritten or unspecified without having been read (a call without an argument in A). */
const endsA = (i: Op): boolean =>
  killsA(i) || i.op === 'jcmp.s' || i.op === 'slot.set' || i.op === 'slot.add' || (i.op === 'call' && !i.tail?.some((t) => t.kind === 'acc'));

/** Whether A's value is never read when execution continues at `from`. */
function deadFrom(body: Instr[], from: number, labels: Map<string, number>): boolean {
  const seen = new Set<number>();
  for (let at = from; at < body.length && !seen.has(at);) {
    seen.add(at);
    const i = body[at];
    if (endsA(i)) return true;
    if (i.op === 'label') at++;
    else if (i.op === 'jump') at = labels.get(i.target) ?? body.length;
    else return false;
  }
  return false; // falling off the end returns A
}

type Rule = (out: Instr[]) => boolean;

/** Replaces the last `n` ops of `out` with `ops`, which take the line of the last one replaced. */
function replace(out: Instr[], n: number, ...ops: Op[]): true {
  const line = out[out.length - 1].line;
  out.splice(out.length - n, n, ...ops.map((op) => ({ ...op, line, depth: 0 }) as Instr));
  return true;
}

/** `push; X; pop; <op>` at the end of `out`: X and the op, or undefined. */
function stackedOperand(out: Instr[]): { rhs: Operand; last: Op } | undefined {
  const [push, x, pop, last] = out.slice(-4);
  if (out.length < 4 || push.op !== 'push' || pop.op !== 'pop') return undefined;
  const rhs = operandOf(x);
  return rhs && { rhs, last };
}

const fuseBinary: Rule = (out) => {
  const m = stackedOperand(out);
  if (m?.last.op === 'bin') return replace(out, 4, { op: 'bin.r', kind: m.last.kind, rhs: m.rhs });
  if (m?.last.op === 'cmp') return replace(out, 4, { op: 'cmp.r', cond: m.last.cond, rhs: m.rhs });
  return false;
};

/** B cond A as A cond' B. */
const SWAP: Record<Cond, Cond> = {
  eq: 'eq', ne: 'ne', ult: 'ugt', ule: 'uge', ugt: 'ult', uge: 'ule', slt: 'sgt', sle: 'sge', sgt: 'slt', sge: 'sle',
};
const COMMUTES = new Set(['add', 'mul', 'and', 'or', 'xor']);
const STRAIGHT = new Set(['label', 'jump', 'jz', 'jnz', 'jcmp', 'jcmp.r', 'jcmp.s', 'ret', 'param']);

/**
 * `X; push; Y…; pop; bin k` with X an operand, Y computed and k commutative → `Y…; bin.r k X`
 * (a compare swaps its condition). Y runs before X is read instead of after: fine, as Y is
 * straight-line code that leaves X's slot alone (nothing else can change a slot).
 */
/** Whether an op ignores the A and value stack it finds (so it need not follow X). */
const startsFresh = (i: Op): boolean =>
  killsA(i) || (i.op === 'call' && i.argc === (i.tail?.length ?? 0) && !i.tail?.some((t) => t.kind === 'acc'));

/** Index of the push whose value the pop before the last op takes (`after` = 1: the last op's top stacked value), if only straight-line code lies between. */
function matchingPush(out: Instr[], after = 2): number | undefined {
  let level = 0;
  for (let at = out.length - 1 - after; at >= 0; at--) {
    const i = out[at];
    if (STRAIGHT.has(i.op)) return undefined;
    level += stackEffect(i);
    if (level > 0) return i.op === 'push' ? at : undefined;
  }
  return undefined;
}

/** The ops between that push and the pop, if they start afresh and leave operand x's slot alone. */
function movable(out: Instr[], at: number, x: Operand, after = 2): Instr[] | undefined {
  const y = out.slice(at + 1, -after);
  if (!y.length || !startsFresh(y[0])) return undefined;
  return x.kind === 'slot' && y.some((i) => writesSlot(i) && i.slot === x.slot) ? undefined : y;
}

const reorderOperand: Rule = (out) => {
  const [pop, op] = out.slice(-2);
  if (out.length < 5 || pop.op !== 'pop' || !((op.op === 'bin' && COMMUTES.has(op.kind)) || op.op === 'cmp')) return false;
  const at = matchingPush(out);
  const x = at && operandOf(out[at - 1]);
  const y = x && movable(out, at, x);
  if (!x || !y) return false;
  const fused: Op = op.op === 'cmp' ? { op: 'cmp.r', cond: SWAP[op.cond], rhs: x } : { op: 'bin.r', kind: op.kind, rhs: x };
  out.splice(at - 1, out.length - (at - 1), ...y, { ...fused, line: op.line, depth: 0 } as Instr);
  return true;
};

/**
 * `X; [bin.r add k;] push; Y…; pop; store w` → `Y…; store.a w X +k`: the value is computed
 * first and stored straight to the address operand (same conditions on Y as above).
 */
const storeToOperand: Rule = (out) => {
  const [pop, st] = out.slice(-2);
  if (out.length < 5 || pop.op !== 'pop' || st.op !== 'store') return false;
  const at = matchingPush(out);
  if (!at) return false;
  const add = out[at - 1];
  const added = add.op === 'bin.r' && add.kind === 'add' && add.rhs.kind === 'imm';
  const k = added ? (add.rhs as Extract<Operand, { kind: 'imm' }>).value : 0n;
  const first = added ? at - 2 : at - 1;
  const x = first >= 0 && k >= 0n && k <= MAX_OFFSET ? operandOf(out[first]) : undefined;
  const y = x && movable(out, at, x);
  if (!x || !y) return false;
  const op: Op = { op: 'store.a', width: st.width, addr: x, ...(k ? { offset: Number(k) } : {}) };
  out.splice(first, out.length - first, ...y, { ...op, line: st.line, depth: 0 } as Instr);
  return true;
};

/** Fires when the branch is already in `out`; `deadAfter` says A is dead on both paths. */
function fuseBranch(out: Instr[], deadAfter: boolean): boolean {
  const [test, br] = out.slice(-2);
  if (out.length < 2 || !deadAfter || (br.op !== 'jz' && br.op !== 'jnz')) return false;
  const cond = (c: Cond): Cond => (br.op === 'jz' ? NEGATE[c] : c);
  if (test.op === 'cmp') return replace(out, 2, { op: 'jcmp', cond: cond(test.cond), target: br.target });
  if (test.op === 'cmp.r') return replace(out, 2, { op: 'jcmp.r', cond: cond(test.cond), rhs: test.rhs, target: br.target });
  return false;
}

/** Immediates an x86-64 `cmpq $k, slot` holds as written (sign-extended imm32). */
const SMALL = (v: bigint): boolean => v >= 0n && v <= MAX_OFFSET;

/**
 * `slot.load s; jz/jnz L` or `slot.load s; jcmp.r c k L`, A dead on both paths → `jcmp.s`:
 * the slot is tested where it lives instead of through A.
 */
function testSlot(out: Instr[], deadAfter: boolean): boolean {
  const [ld, br] = out.slice(-2);
  if (out.length < 2 || !deadAfter || ld.op !== 'slot.load') return false;
  const to = (cond: Cond, value: bigint, target: string): true => replace(out, 2, { op: 'jcmp.s', cond, slot: ld.slot, value, target });
  if (br.op === 'jz' || br.op === 'jnz') return to(br.op === 'jz' ? 'eq' : 'ne', 0n, br.target);
  if (br.op === 'jcmp.r' && br.rhs.kind === 'imm' && SMALL(br.rhs.value)) return to(br.cond, br.rhs.value, br.target);
  return false;
}

const fuseStore = (out: Instr[], deadAfter: boolean): boolean => {
  const m = stackedOperand(out);
  return !!m && m.last.op === 'store' && deadAfter && replace(out, 4, { op: 'store.r', width: m.last.width, rhs: m.rhs });
};

/** Trailing `X; push` pairs before a call become its tail; one complex argument may stay in A. */
const fuseCall: Rule = (out) => {
  const call = out[out.length - 1];
  if (call?.op !== 'call' || call.tail) return false;
  const tail: ArgSource[] = [];
  let at = out.length - 1;
  while (tail.length < call.argc && at >= 2 && out[at - 1].op === 'push') {
    const x = operandOf(out[at - 2]);
    if (!x) break;
    tail.unshift(x);
    at -= 2;
  }
  if (tail.length < call.argc && at >= 1 && out[at - 1].op === 'push') {
    tail.unshift({ kind: 'acc' });
    at -= 1;
  }
  return tail.length > 0 && replace(out, out.length - at, { op: 'call', symbol: call.symbol, argc: call.argc, tail, ...(call.compiled ? { compiled: true } : {}) });
};

/**
 * `X; push; Y…; call f [… acc …]` with X an operand and Y as for the reordering →
 * `Y…; call f [X, … acc …]`: the stacked argument below the computed one is read at the
 * call instead of going through the value stack (and again for the ones below it).
 */
const deferCallOperand: Rule = (out) => {
  const call = out[out.length - 1];
  if (call?.op !== 'call' || !call.tail?.some((t) => t.kind === 'acc') || call.argc === call.tail.length) return false;
  const at = matchingPush(out, 1);
  const x = at && operandOf(out[at - 1]);
  const y = x && movable(out, at, x, 1);
  if (!x || !y) return false;
  out.splice(at - 1, out.length - (at - 1), ...y, { ...call, tail: [x, ...call.tail] });
  return true;
};

/** log2 of a power of two, else undefined. */
function log2(v: bigint): number | undefined {
  const u = BigInt.asUintN(64, v);
  return u !== 0n && (u & (u - 1n)) === 0n ? u.toString(2).length - 1 : undefined;
}

/** Unsigned ×, ÷ and % by a power of two 2^k → shift left, shift right, and with 2^k - 1. */
const byPowerOfTwo: Rule = (out) => {
  const i = out[out.length - 1];
  if (i?.op !== 'bin.r' || i.rhs.kind !== 'imm') return false;
  const k = log2(i.rhs.value);
  if (k === undefined) return false;
  const imm = (value: bigint): Operand => ({ kind: 'imm', value });
  if (i.kind === 'mul') return replace(out, 1, { op: 'bin.r', kind: 'shl', rhs: imm(BigInt(k)) });
  if (i.kind === 'udiv') return replace(out, 1, { op: 'bin.r', kind: 'lshr', rhs: imm(BigInt(k)) });
  if (i.kind === 'urem') return replace(out, 1, { op: 'bin.r', kind: 'and', rhs: imm((1n << BigInt(k)) - 1n) });
  return false;
};

/** Largest offset folded into an access: both back ends' displacements reach it. */
const MAX_OFFSET = 0x7fff_ffffn;

/**
 * `bin.r add k; load` → `load +k`, and the same for a store.r when A is dead after it
 * (A would hold the base, not base + k): the addition goes into the addressing mode.
 */
function foldOffset(out: Instr[], deadAfter: boolean): boolean {
  const [add, access] = out.slice(-2);
  if (out.length < 2 || add.op !== 'bin.r' || add.kind !== 'add' || add.rhs.kind !== 'imm') return false;
  if (!(access.op === 'load' && !access.symbol) && !(access.op === 'store.r' && deadAfter)) return false;
  const offset = BigInt(access.offset ?? 0) + add.rhs.value;
  if (offset < 0n || offset > MAX_OFFSET) return false;
  return replace(out, 2, { ...access, offset: Number(offset) });
}

/** `addr.global s; load` → a load from s itself (x86-64 reads it RIP-relative in one instruction). */
const loadGlobal: Rule = (out) => {
  const [addr, load] = out.slice(-2);
  return out.length >= 2 && addr.op === 'addr.global' && load.op === 'load' && !load.symbol && replace(out, 2, { ...load, symbol: addr.symbol });
};

/** Ops that write a slot. */
const writesSlot = (i: Op): i is Extract<Op, { op: 'slot.store' | 'slot.set' | 'slot.add' }> =>
  i.op === 'slot.store' || i.op === 'slot.set' || i.op === 'slot.add';

/**
 * With A dead after the store: `imm v; slot.store s` → `slot.set s v` (arm64 stores zero
 * from xzr), and `slot.load s; bin.r add/sub k; slot.store s` → `slot.add s ±k` (x86-64
 * adds in memory). A reload of s just after keeps the old form (the store would be
 * followed by a load the reload rule drops).
 */
function slotUpdate(out: Instr[], deadAfter: boolean, next: Op | undefined): boolean {
  const st = out[out.length - 1];
  if (!deadAfter || st?.op !== 'slot.store' || (next?.op === 'slot.load' && next.slot === st.slot)) return false;
  const [ld, prev] = [out[out.length - 3], out[out.length - 2]];
  if (prev?.op === 'imm') return replace(out, 2, { op: 'slot.set', slot: st.slot, value: prev.value });
  if (prev?.op !== 'bin.r' || prev.rhs.kind !== 'imm' || (prev.kind !== 'add' && prev.kind !== 'sub')) return false;
  if (ld?.op !== 'slot.load' || ld.slot !== st.slot) return false;
  const value = BigInt.asIntN(64, prev.kind === 'sub' ? -prev.rhs.value : prev.rhs.value);
  return replace(out, 3, { op: 'slot.add', slot: st.slot, value });
}

const storeThenLoad: Rule = (out) => {
  const [st, ld] = out.slice(-2);
  return out.length >= 2 && st.op === 'slot.store' && ld.op === 'slot.load' && st.slot === ld.slot && replace(out, 1);
};

/** Drops code that cannot run (after ret or jump, before the next label) and jumps to the next op. */
function removeDead(body: Instr[]): Instr[] {
  const out: Instr[] = [];
  let reachable = true;
  for (const i of body) {
    if (i.op === 'label') reachable = true;
    if (!reachable) continue;
    out.push(i);
    if (i.op === 'ret' || i.op === 'jump') reachable = false;
  }
  return out.filter((i, n) => {
    const next = out[n + 1];
    return !(i.op === 'jump' && next?.op === 'label' && next.name === i.target);
  });
}

/** Recomputes every op's depth (and the function's deepest stack) from the start. */
function located(f: Func, ops: Instr[]): Func {
  let depth = 0;
  let maxDepth = 0;
  const body = ops.map((i): Instr => {
    const at = { ...i, depth };
    depth += stackEffect(i);
    maxDepth = Math.max(maxDepth, depth);
    return at;
  });
  return { ...f, body, maxDepth };
}

/** One forward sweep: each op is appended, then the rules reduce the end of the list. */
function sweep(body: Instr[]): Instr[] {
  const labels = new Map<string, number>();
  body.forEach((i, n) => { if (i.op === 'label') labels.set(i.name, n); });
  const dead = (at: number): boolean => deadFrom(body, at, labels);
  const out: Instr[] = [];
  body.forEach((i, n) => {
    out.push(i);
    // the store and branch rules only see `i` as their last op: A's fate is known after it
    const afterStore = i.op === 'store' && dead(n + 1);
    const afterSlotStore = i.op === 'slot.store' && dead(n + 1);
    const afterBranch = (i.op === 'jz' || i.op === 'jnz') && dead(n + 1) && dead(labels.get(i.target) ?? body.length);
    while (fuseBinary(out) || reorderOperand(out) || fuseCall(out) || deferCallOperand(out) || storeThenLoad(out) || fuseStore(out, afterStore) || storeToOperand(out) || fuseBranch(out, afterBranch) || testSlot(out, afterBranch) || foldOffset(out, afterStore) || loadGlobal(out) || byPowerOfTwo(out) || slotUpdate(out, afterSlotStore, body[n + 1]));
  });
  return out;
}

/** The peephole-optimised copy of one function. */
export function peephole(f: Func): Func {
  const flow = dropUnusedLabels(shareReturns(f, threadJumps(removeDead(f.body))));
  return located(f, tidyBranches(sweep(removeDead(flow))));
}

/** The peephole-optimised copy of a whole program (data unchanged). */
export function peepholeProgram(p: Program): Program {
  return { ...p, funcs: p.funcs.map(peephole) };
}
