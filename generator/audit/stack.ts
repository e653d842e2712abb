// Worst-case stack depth. Each function is walked along every path from its start,
// tracking how far the stack pointer is below its value at entry: every instruction
// that moves it must be one the architecture part recognises (push, sub sp, pre-index
// stores, leave…); anything else that writes it is a stack switch, allowed only in a
// root or a stub with a declared role, else the audit fails. A function's worst case
// is its own deepest point or, at each call, the depth there plus the callee's worst
// case. An indirect call may reach any function whose address is taken, so it costs
// the largest of those. Recursion has no bound and is reported as an error.
import type { Program } from './functions.ts';
import { hex } from './operands.ts';
import { INDIRECT, RECURSION } from './declared.ts';

export interface CallSite {
  /** Offset of the calling instruction. */
  at: number;
  /** Stack depth the callee starts at (the return address included). */
  depth: number;
  /** The callee's start, or 'indirect'. */
  callee: number | 'indirect';
}

export interface Walked {
  /** Deepest point of the function's own code, in bytes below its entry. */
  frame: number;
  calls: CallSite[];
  /** Indirect calls made after switching to a caller-supplied stack (into the image). */
  foreignCalls: number[];
}

interface State { at: number; depth: number; fp: number | undefined; foreign: boolean; fresh: boolean }

export class StackError extends Error {}

function where(p: Program, offset: number): string {
  const k = p.at.get(offset);
  const i = k === undefined ? undefined : p.blob.insns[k];
  return i ? `${i.file}:${i.line} (${hex(offset)} ${i.mnemonic} ${i.operands})` : hex(offset);
}

/** Applies one instruction's stack effect; false ends the path (the stack was unwound). */
function moveSp(p: Program, s: State, k: number, ctx: { root: boolean; role?: string }): boolean {
  const f = p.facts[k];
  const e = f.sp;
  const wasFresh = s.fresh;
  s.fresh = false;
  if (e.kind === 'adjust') {
    // Right after a switch, an add to sp still computes the new top (x86: lea, add).
    if (wasFresh && e.bytes < 0) s.fresh = true;
    else s.depth += e.bytes;
  } else if (e.kind === 'align') s.depth += e.bytes;
  else if (e.kind === 'saveFp') s.fp = s.depth;
  else if (e.kind === 'fromFp') {
    if (s.fp === undefined) throw new StackError(`${where(p, s.at)}: restores sp from a frame register the audit cannot follow`);
    s.depth = s.fp - e.pop;
    s.foreign = false;
  } else if (e.kind === 'set') {
    if (ctx.root) { s.depth = 0; s.fresh = true; }
    else if (ctx.role === 'switch' && !s.foreign) s.foreign = true;
    else if (ctx.role === 'switch' || ctx.role === 'unwind') return false;
    else throw new StackError(`${where(p, s.at)}: writes the stack pointer; only roots and declared stubs may switch stacks`);
  }
  if (f.clobbersFp && e.kind !== 'fromFp') s.fp = undefined;
  return true;
}

/** Follows control flow after the instruction at `s.at`, recording calls. */
function follow(p: Program, s: State, k: number, entry: number, out: Walked): number[] {
  const f = p.facts[k];
  const next = s.at + p.blob.insns[k].size;
  const fl = f.flow;
  switch (fl.kind) {
    case 'next': return [next];
    case 'branch': {
      const tail = fl.target !== entry && p.entries.has(fl.target);
      if (tail) out.calls.push({ at: s.at, depth: s.depth, callee: fl.target });
      const here = tail ? [] : [fl.target];
      return fl.conditional ? [...here, next] : here;
    }
    case 'call':
      if (!s.foreign) out.calls.push({ at: s.at, depth: s.depth + p.arch.returnAddress, callee: fl.target });
      return [next];
    case 'callIndirect':
      if (s.foreign) out.foreignCalls.push(s.at);
      else out.calls.push({ at: s.at, depth: s.depth + p.arch.returnAddress, callee: 'indirect' });
      return [next];
    case 'jumpIndirect':
      if (!s.foreign) out.calls.push({ at: s.at, depth: s.depth, callee: 'indirect' });
      return [];
    default: return [];
  }
}

/** Distinct stack states one instruction may be reached in before the walk gives up. */
const MAX_STATES = 16;

/** Walks every path of the function starting at `entry`, once per distinct stack state. */
export function walk(p: Program, entry: number, root: boolean): Walked {
  const role = p.arch.stackRoles[p.entries.get(entry) ?? ''];
  const out: Walked = { frame: 0, calls: [], foreignCalls: [] };
  const seen = new Map<number, Set<string>>();
  const todo: State[] = [{ at: entry, depth: 0, fp: undefined, foreign: false, fresh: false }];
  while (todo.length) {
    const s = todo.pop() as State;
    const k = p.at.get(s.at);
    if (k === undefined) throw new StackError(`${p.entries.get(entry)}: control reaches ${hex(s.at)}, which is not an instruction`);
    const states = seen.get(s.at) ?? new Set<string>();
    const key = `${s.depth}/${s.foreign}/${s.fp}/${s.fresh}`;
    if (states.has(key)) continue;
    // A loop that moves the stack pointer each time round has no bound.
    if (states.size >= MAX_STATES) throw new StackError(`${where(p, s.at)}: reached with ever new stack depths (a loop that pushes): no bound`);
    seen.set(s.at, states.add(key));
    if (!moveSp(p, s, k, { root, role })) continue;
    if (!s.foreign) out.frame = Math.max(out.frame, s.depth);
    for (const at of follow(p, s, k, entry, out)) todo.push({ ...s, at });
  }
  return out;
}

/** How an indirect call is charged: the address-taken set, or as foreign code. */
export type IndirectMode = 'targets' | 'foreign';

export interface StackAnalysis {
  walked: Map<number, Walked>;
  /** Worst case of each function, indirect calls reaching the address-taken set. */
  worst: Map<number, number>;
  /** The same with indirect calls cut: one call from the image into a handler. */
  worstPerCall: Map<number, number>;
  /** The call chain of each worst case, for the report. */
  problems: string[];
}

interface Solver { p: Program; walked: Map<number, Walked>; memo: Map<number, number>; path: number[]; mode: IndirectMode; problems: string[] }

/** An indirect call's cost: its declared targets (declared.ts), else every address taken. */
function indirectCost(sv: Solver, fn: number): number {
  const declared = INDIRECT[sv.p.entries.get(fn) ?? ''];
  const byName = new Map([...sv.p.entries].map(([o, n]) => [n, o]));
  const targets = declared ? declared.targets.map((n) => byName.get(n)) : [...sv.p.addressTaken].sort((a, b) => a - b);
  let m = 0;
  for (const t of targets) {
    if (t === undefined || !sv.p.addressTaken.has(t)) {
      sv.problems.push(`${sv.p.entries.get(fn)}: a declared indirect target is not a function whose address the blob takes`);
      return Infinity;
    }
    m = Math.max(m, worstOf(sv, t));
  }
  return m;
}

function calleeCost(sv: Solver, fn: number, c: CallSite): number {
  if (c.callee !== 'indirect') return worstOf(sv, c.callee);
  return sv.mode === 'foreign' ? 0 : indirectCost(sv, fn);
}

function worstOf(sv: Solver, fn: number): number {
  const known = sv.memo.get(fn);
  if (known !== undefined) return known;
  if (sv.path.includes(fn)) {
    const cycle = [...sv.path.slice(sv.path.indexOf(fn)), fn].map((o) => sv.p.entries.get(o)).join(' -> ');
    sv.problems.push(`recursion has no stack bound: ${cycle}`);
    return Infinity;
  }
  const w = sv.walked.get(fn);
  if (!w) return Infinity;
  const bound = RECURSION[sv.p.entries.get(fn) ?? '']?.bound;
  sv.path.push(fn);
  let worst = w.frame;
  let self = 0;
  for (const c of w.calls) {
    // A declared self-recursion: each extra activation costs the deepest self-call site.
    if (bound !== undefined && c.callee === fn) self = Math.max(self, c.depth);
    else worst = Math.max(worst, c.depth + calleeCost(sv, fn, c));
  }
  sv.path.pop();
  if (bound !== undefined) worst += (bound - 1) * self;
  sv.memo.set(fn, worst);
  return worst;
}

function solve(p: Program, walked: Map<number, Walked>, mode: IndirectMode, problems: string[]): Map<number, number> {
  const sv: Solver = { p, walked, memo: new Map(), path: [], mode, problems };
  for (const fn of p.entries.keys()) worstOf(sv, fn);
  return sv.memo;
}

/** Walks every function and computes the worst cases both ways. */
export function analyseStack(p: Program): StackAnalysis {
  const problems: string[] = [];
  const walked = new Map<number, Walked>();
  const roots = new Set(p.roots.map((r) => r.offset));
  for (const fn of p.entries.keys()) {
    try {
      walked.set(fn, walk(p, fn, roots.has(fn)));
    } catch (err) {
      if (!(err instanceof StackError)) throw err;
      problems.push(err.message);
    }
  }
  const worst = solve(p, walked, 'targets', problems);
  const worstPerCall = solve(p, walked, 'foreign', []);
  return { walked, worst, worstPerCall, problems: [...new Set(problems)] };
}

/** The deepest chain from `fn`: each step the call that makes the worst case. */
export function deepestChain(p: Program, a: StackAnalysis, fn: number): string[] {
  const chain: string[] = [];
  let cur: number | undefined = fn;
  for (let guard = 0; cur !== undefined && guard < 64; guard++) {
    chain.push(p.entries.get(cur) ?? hex(cur));
    const w = a.walked.get(cur);
    const target: number = a.worst.get(cur) ?? 0;
    const step: CallSite | undefined = w?.calls.find((c) => c.callee !== 'indirect' && c.depth + (a.worst.get(c.callee) ?? 0) === target);
    cur = step?.callee === 'indirect' ? undefined : step?.callee;
  }
  return chain;
}
