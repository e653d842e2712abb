// Dead-code removal for a whole program: only functions and data reachable from a set of
// root symbols are kept. The blob's roots are the entry module's exports and every
// symbol its hand-written assembly names (build.ts), so helpers that only tests call
// (the host runs the TypeScript directly) cost no bytes.
import type { Instr, Program } from './ir.ts';

/** Every symbol an op names: called or addressed functions and data, in any operand. */
export function symbolsOf(i: Instr): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'symbol' && typeof x === 'string') out.push(x);
        else visit(x);
      }
    }
  };
  visit(i);
  return out;
}

/** The program without the functions and data no root reaches (order kept). */
export function liveProgram(p: Program, roots: Iterable<string>): Program {
  const funcs = new Map(p.funcs.map((f) => [f.name, f]));
  const tables = new Map(p.data.map((d) => [d.symbol, d.fns ?? []]));
  const live = new Set<string>();
  const work = [...roots];
  while (work.length > 0) {
    const s = work.pop() as string;
    if (live.has(s)) continue;
    live.add(s);
    for (const i of funcs.get(s)?.body ?? []) work.push(...symbolsOf(i));
    work.push(...(tables.get(s) ?? []));
  }
  return { funcs: p.funcs.filter((f) => live.has(f.name)), data: p.data.filter((d) => live.has(d.symbol)) };
}

/** Identifiers in assembly text that name functions or data of the program. */
export function namedIn(p: Program, text: string): string[] {
  const names = new Set([...p.funcs.map((f) => f.name), ...p.data.map((d) => d.symbol)]);
  return (text.match(/[A-Za-z_.$][\w.$]*/g) ?? []).filter((w) => names.has(w));
}
