// Where each root puts the stack pointer when it switches stacks, so the room the report
// compares against is the room the code really has. The root's code is followed along
// every branch (not into calls) with registers holding addresses and immediates
// (adr/lea, add, mov) until each write to sp and the adds that follow it.
import type { InsnFacts } from './model.ts';
import type { Program, ResolvedRoot } from './functions.ts';

/** Each value sp is set to on the root's paths: an offset in the blob, or undefined if not worked out. */
export type StackTops = (number | undefined)[];

interface Path { at: number; vals: Map<string, number>; switched: boolean }

/** Applies an instruction's effect on the known values; returns the top when the switch is complete. */
function evaluate(f: InsnFacts, path: Path, sp: string): { done: boolean; top?: number } {
  // After the write to sp, adds to it still compute the top (x86: lea, then add).
  if (path.switched && !(f.add && f.add.dst === sp && f.add.src === sp && f.add.imm > 0)) return { done: true, top: path.vals.get(sp) };
  const known = f.add ? path.vals.get(f.add.src) : undefined;
  for (const r of f.writes) path.vals.delete(r);
  if (f.ref !== undefined && f.writes[0]) path.vals.set(f.writes[0], f.ref);
  else if (f.add && known !== undefined) path.vals.set(f.add.dst, known + f.add.imm);
  if (f.sp.kind === 'set') path.switched = true;
  return { done: false };
}

function successors(p: Program, k: number, at: number): number[] {
  const fl = p.facts[k].flow;
  const next = at + p.blob.insns[k].size;
  if (fl.kind === 'next') return [next];
  if (fl.kind === 'branch') return fl.conditional ? [fl.target, next] : [fl.target];
  return []; // calls, returns: the switch is the root's own
}

export function stackTops(p: Program, root: ResolvedRoot): StackTops {
  const tops: StackTops = [];
  const seen = new Set<number>();
  const todo: Path[] = [{ at: root.offset, vals: new Map(), switched: false }];
  while (todo.length && seen.size < 512) {
    const path = todo.pop() as Path;
    const k = p.at.get(path.at);
    if (k === undefined || (!path.switched && seen.has(path.at))) continue;
    seen.add(path.at);
    const r = evaluate(p.facts[k], path, p.arch.sp);
    if (r.done) { tops.push(r.top); continue; }
    for (const at of successors(p, k, path.at)) todo.push({ at, vals: new Map(path.vals), switched: path.switched });
  }
  return tops;
}
