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
import type { Func, Instr, Op } from './ir.ts';
import { operandOf } from './peephole.ts';

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

/** Drops labels no branch names. */
export function dropUnusedLabels(body: Instr[]): Instr[] {
  const used = new Set(body.filter(isBranch).map((i) => i.target));
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
