// The IR peephole pass: rewrites the front end's stack-machine code into the fused ops of
// ir.ts, so the back ends stop sending every right operand through the value stack.
// Each rule matches a few adjacent ops and replaces them with one op of the same meaning:
//
//   push; X; pop; bin k            → bin.r k X      (X: imm, slot.load, addr.global/func)
//   push; X; pop; cmp c            → cmp.r c X
//   push; X; pop; store w          → store.r w X    when A is dead afterwards
//   cmp c; jz/jnz L                → jcmp ¬c/c L    when A is dead on both paths
//   cmp.r c X; jz/jnz L            → jcmp.r ¬c/c X L (same condition)
//   X0; push; …; Xn; push; call f  → call f with tail [X0 … Xn]; a complex argument
//                                    just before the simple ones stays in A ('acc')
//   slot.store s; slot.load s      → slot.store s
//   code after ret/jump up to the next label, and `jump L; L:` → removed
//
// "A is dead" is decided by looking forward along the straight-line path (following
// jumps) for an op that overwrites A before anything reads it; anything else counts as
// live, so the rules only fire where they are plainly safe. Depths are recomputed at
// the end with the IR's own stackEffect.
import { stackEffect, type ArgSource, type Cond, type Func, type Instr, type Op, type Operand, type Program } from './ir.ts';

const NEGATE: Record<Cond, Cond> = {
  eq: 'ne', ne: 'eq', ult: 'uge', uge: 'ult', ule: 'ugt', ugt: 'ule', slt: 'sge', sge: 'slt', sle: 'sgt', sgt: 'sle',
};

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
const killsA = (i: Op): boolean => operandOf(i) !== undefined;

/** Whether A's value is never read when execution continues at `from`. */
function deadFrom(body: Instr[], from: number, labels: Map<string, number>): boolean {
  const seen = new Set<number>();
  for (let at = from; at < body.length && !seen.has(at);) {
    seen.add(at);
    const i = body[at];
    if (killsA(i)) return true;
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

/** Fires when the branch is already in `out`; `deadAfter` says A is dead on both paths. */
function fuseBranch(out: Instr[], deadAfter: boolean): boolean {
  const [test, br] = out.slice(-2);
  if (out.length < 2 || !deadAfter || (br.op !== 'jz' && br.op !== 'jnz')) return false;
  const cond = (c: Cond): Cond => (br.op === 'jz' ? NEGATE[c] : c);
  if (test.op === 'cmp') return replace(out, 2, { op: 'jcmp', cond: cond(test.cond), target: br.target });
  if (test.op === 'cmp.r') return replace(out, 2, { op: 'jcmp.r', cond: cond(test.cond), rhs: test.rhs, target: br.target });
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
  return tail.length > 0 && replace(out, out.length - at, { op: 'call', symbol: call.symbol, argc: call.argc, tail });
};

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
    const afterBranch = (i.op === 'jz' || i.op === 'jnz') && dead(n + 1) && dead(labels.get(i.target) ?? body.length);
    while (fuseBinary(out) || fuseCall(out) || storeThenLoad(out) || fuseStore(out, afterStore) || fuseBranch(out, afterBranch));
  });
  return out;
}

/** The peephole-optimised copy of one function. */
export function peephole(f: Func): Func {
  return located(f, sweep(removeDead(f.body)));
}

/** The peephole-optimised copy of a whole program (data unchanged). */
export function peepholeProgram(p: Program): Program {
  return { ...p, funcs: p.funcs.map(peephole) };
}
