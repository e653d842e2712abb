// A function's instructions in a form that does not change when code moves: branch and
// call targets and PC-relative addresses become the symbols they name, and a jump to
// another function's shared epilogue becomes that epilogue's code. `audit --diff` calls
// a function changed when this text differs.
import type { Program } from './functions.ts';
import { hex } from './operands.ts';

/** One instruction with its position-dependent operand (target, PC-relative address) named. */
function insnShape(p: Program, k: number, name: (t: number, branch: boolean) => string): string {
  const i = p.blob.insns[k];
  const f = p.facts[k];
  const branch = f.flow.kind === 'branch';
  const t = f.flow.kind === 'branch' || f.flow.kind === 'call' ? f.flow.target : f.pcrel;
  if (t === undefined) return `${i.mnemonic} ${i.operands}`;
  return `${i.mnemonic} ${i.operands.replace(/#?-?0x[0-9a-f]+$|\[rip [+-] (0x[0-9a-f]+|\d+)\]/, '')}<${name(t, branch)}>`;
}

/** The code at `offset` up to its first jump or return: what a branch into the middle of another function (arm64's shared epilogues) reaches. */
function codeAt(p: Program, offset: number, sym: (o: number) => string): string[] {
  const out: string[] = [];
  for (let k = p.at.get(offset); k !== undefined && out.length < 4; k++) {
    out.push(insnShape(p, k, sym));
    if (p.facts[k].flow.kind !== 'next') break;
  }
  return out;
}

export function shapeOf(p: Program, insns: number[], sym: (o: number) => string): string {
  const own = new Set(insns.map((k) => p.blob.insns[k].offset));
  const outside = (t: number): boolean => !own.has(t) && !p.entries.has(t);
  const name = (t: number, branch: boolean): string => (branch && outside(t) ? `[${codeAt(p, t, sym).join('; ')}]` : sym(t));
  return insns.map((k) => {
    const f = p.facts[k].flow;
    // A jump to a shared epilogue elsewhere is the same code as that epilogue inline.
    if (f.kind === 'branch' && !f.conditional && outside(f.target)) return codeAt(p, f.target, sym).join('\n');
    return insnShape(p, k, name);
  }).join('\n');
}

/** Positions as the nearest label at or before them, plus a distance. */
export function symbolicNames(p: Program): (offset: number) => string {
  const labels = [...p.names].sort((x, y) => x[0] - y[0]);
  const cache = new Map<number, string>();
  return (offset) => {
    const known = cache.get(offset);
    if (known !== undefined) return known;
    let lo = 0;
    let hi = labels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (labels[mid][0] <= offset) lo = mid; else hi = mid - 1;
    }
    const [o, name] = labels[lo] ?? [0, ''];
    const text = !name || o > offset ? hex(offset) : o === offset ? name : `${name}+${hex(offset - o)}`;
    cache.set(offset, text);
    return text;
  };
}

