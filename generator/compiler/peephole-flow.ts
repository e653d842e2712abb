// Control-flow rules of the peephole pass (peephole.ts runs them before its sweep), on the
// front end's jz/jnz/jump form:
//
//   jump threading   a branch to labels followed by `jump M` goes to M; `jz L` where L
//                    starts with `jz M` goes to M (A is 0 there, so the second is taken),
//                    likewise jnz/jnz; `jz L` where L starts with `jnz M` goes past that
//                    jnz (not taken). This turns the 0/1 value of a && or || chain that
//                    only feeds a branch into direct branches, so the sweep can fuse
//                    each compare with its branch.
//   shared returns   `X; ret` (X an operand load, at depth 0) seen before in the
//                    function becomes a jump to the first copy; `jz L; X; ret; L:` becomes
//                    `jnz first` (one branch instead of branch, load and return).
//   unused labels    dropped, so the code after a jump can be seen to be dead.
//
// After the sweep (tidyBranches), on the fused branches too:
//   threading        any branch to labels followed by `jump M` goes to M.
//   inversion        `b X; jump Y; X:` (b conditional) becomes `¬b Y; X:`.
//   next label       `jump L` where L is in the run of labels that follows goes, and
//                    so does code after ret/jump up to the next label.
import { NEGATE, type Func, type Instr, type Op } from './ir.ts';
import { operandOf } from './peephole.ts';

export { NEGATE } from './ir.ts';

type Branch = Extract<Instr, { op: 'jz' | 'jnz' | 'jump' }>;
const isBranch = (i: Op): i is Branch => i.op === 'jz' || i.op === 'jnz' || i.op === 'jump';

/** Label name → index of the label. */
function labelIndex(body: Instr[]): Map<string, number> {
  const at = new Map<string, number>();
  body.forEach((i, n) => { if (i.op === 'label') at.set(i.name, n); });
  return at;
}

/** The first index at or after `n` that is not a label. */
function skipLabels(body: Instr[], n: number): number {
  while (n < body.length && body[n].op === 'label') n++;
  return n;
}

/** Where a branch of kind `kind` to `target` really ends up, and labels to add for it. */
function finalTarget(body: Instr[], labels: Map<string, number>, kind: Branch['op'], target: string, added: Map<number, string>): string {
  for (let hops = 0; hops < 8; hops++) {
    const from = labels.get(target);
    if (from === undefined) return target;
    const j = skipLabels(body, from);
    const next = body[j];
    const test = next?.op === 'jz' || next?.op === 'jnz';
    if (next?.op === 'jump' || (test && next.op === kind)) {
      target = (next as Branch).target;
    } else if (test && kind !== 'jump') { // the other test: never taken here
      const name = added.get(j + 1) ?? `${(body[j - 1] as Extract<Instr, { op: 'label' }>).name}.past`;
      added.set(j + 1, name);
      return name;
    } else {
      return target;
    }
  }
  return target;
}

/** Retargets every jz/jnz/jump to where it finally goes (see the file comment). */
export function threadJumps(body: Instr[]): Instr[] {
  const labels = labelIndex(body);
  const added = new Map<number, string>();
  const out = body.map((i) => (isBranch(i) ? { ...i, target: finalTarget(body, labels, i.op, i.target, added) } : i));
  for (const at of [...added.keys()].sort((a, b) => b - a)) {
    const before = out[at - 1];
    out.splice(at, 0, { op: 'label', name: added.get(at) as string, line: before.line, depth: 0 });
  }
  return out;
}

/** Drops labels no branch names (fused branches included: IR may arrive with them). */
export function dropUnusedLabels(body: Instr[]): Instr[] {
  const used = new Set(body.flatMap((i) => ('target' in i ? [i.target] : [])));
  return body.filter((i) => i.op !== 'label' || used.has(i.name));
}

const NOT = { jz: 'jnz', jnz: 'jz' } as const;

/** Replaces repeated `X; ret` tails with branches to the first copy (see the file comment). */
export function shareReturns(f: Func, body: Instr[]): Instr[] {
  const out: Instr[] = [];
  const first = new Map<string, string>(); // operand → label before its first `X; ret`
  let made = 0;
  for (let n = 0; n < body.length; n++) {
    const [i, ret] = [body[n], body[n + 1]];
    const x = operandOf(i);
    if (!x || ret?.op !== 'ret' || i.depth !== 0) { out.push(i); continue; }
    const key = JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    const to = first.get(key);
    if (to === undefined) {
      const prev = out[out.length - 1];
      const name = prev?.op === 'label' ? prev.name : `${f.name}.ret${made++}`;
      if (prev?.op !== 'label') out.push({ op: 'label', name, line: i.line, depth: 0 });
      first.set(key, name);
      out.push(i);
      continue;
    }
    const br = out[out.length - 1];
    const after = body[n + 2];
    if ((br?.op === 'jz' || br?.op === 'jnz') && after?.op === 'label' && after.name === br.target) {
      out[out.length - 1] = { ...br, op: NOT[br.op], target: to };
    } else {
      out.push({ op: 'jump', target: to, line: i.line, depth: 0 });
    }
    n++; // the ret
  }
  return out;
}

type AnyBranch = Extract<Instr, { target: string }>;
const hasTarget = (i: Instr): i is AnyBranch => 'target' in i;

/** The same branch taken exactly when `b` is not (b conditional). */
function inverted(b: AnyBranch): AnyBranch {
  if (b.op === 'jz' || b.op === 'jnz') return { ...b, op: NOT[b.op] };
  return 'cond' in b ? { ...b, cond: NEGATE[b.cond] } : b;
}

/** Names of the labels from `n` on, up to the first other op. */
function labelRun(body: Instr[], n: number): Set<string> {
  const names = new Set<string>();
  for (; body[n]?.op === 'label'; n++) names.add((body[n] as Extract<Instr, { op: 'label' }>).name);
  return names;
}

/** Branches to labels followed by `jump M` go to M (a few hops; cycles stop there). */
function threadAll(body: Instr[]): Instr[] {
  const labels = labelIndex(body);
  const final = (target: string): string => {
    for (let hops = 0; hops < 8; hops++) {
      const from = labels.get(target);
      const next = from === undefined ? undefined : body[skipLabels(body, from)];
      if (next?.op !== 'jump' || next.target === target) return target;
      target = next.target;
    }
    return target;
  };
  return body.map((i) => {
    const to = hasTarget(i) ? final(i.target) : undefined;
    return to === undefined || (hasTarget(i) && to === i.target) ? i : { ...i, target: to };
  });
}

/** `b X; jump Y; X:` → `¬b Y; X:`; unreachable code and jumps into the next labels go. */
function straighten(body: Instr[]): Instr[] {
  const out: Instr[] = [];
  let reachable = true;
  for (let n = 0; n < body.length; n++) {
    const [i, next] = [body[n], body[n + 1]];
    if (i.op === 'label') reachable = true;
    if (!reachable) continue;
    if (i.op === 'jump' && labelRun(body, n + 1).has(i.target)) continue;
    if (hasTarget(i) && i.op !== 'jump' && next?.op === 'jump' && labelRun(body, n + 2).has(i.target)) {
      out.push(inverted({ ...i, target: next.target }));
      n++;
      continue;
    }
    out.push(i);
    if (i.op === 'ret' || i.op === 'jump') reachable = false;
  }
  return out;
}

/** The post-sweep control-flow rules (see the file comment), until nothing changes. */
export function tidyBranches(body: Instr[]): Instr[] {
  for (let round = 0; round < 8; round++) {
    const next = dropUnusedLabels(straighten(threadAll(body)));
    if (next.length === body.length && next.every((i, k) => i === body[k])) return next;
    body = next;
  }
  return body;
}
