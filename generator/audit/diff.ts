// `audit --diff`: what changed between two generated outputs, in the audit's terms.
// Everything is compared by name (function, kind, detail), never by offset, so code
// that only moved does not show; a function changed when its instructions differ with
// branch targets and PC-relative addresses written as symbols.
import { GenError } from '../errors.ts';
import { table } from './render.ts';
import type { AuditReport, FunctionReport } from './report.ts';

export interface Counted { key: string; old: number; new: number }

export interface FunctionChange {
  name: string;
  change: 'added' | 'removed' | 'changed';
  oldSize: number | null;
  newSize: number | null;
  oldWorst: number | null;
  newWorst: number | null;
}

export interface AuditDiff {
  arch: string;
  sizes: { key: string; old: number | null; new: number | null }[];
  /** `function: kind detail`, with how many there were and are. */
  privileged: Counted[];
  mmio: Counted[];
  functions: FunctionChange[];
  unchangedFunctions: number;
}

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function countedDiff(a: string[], b: string[]): Counted[] {
  const ma = multiset(a);
  const mb = multiset(b);
  return [...new Set([...ma.keys(), ...mb.keys()])].sort()
    .map((key) => ({ key, old: ma.get(key) ?? 0, new: mb.get(key) ?? 0 }))
    .filter((c) => c.old !== c.new);
}

function functionDiff(a: FunctionReport[], b: FunctionReport[]): { changes: FunctionChange[]; same: number } {
  const ma = new Map(a.map((f) => [f.name, f]));
  const mb = new Map(b.map((f) => [f.name, f]));
  const changes: FunctionChange[] = [];
  let same = 0;
  for (const name of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const o = ma.get(name);
    const n = mb.get(name);
    if (o && n && o.hash === n.hash) { same++; continue; }
    changes.push({
      name, change: !o ? 'added' : !n ? 'removed' : 'changed',
      oldSize: o?.size ?? null, newSize: n?.size ?? null, oldWorst: o?.worst ?? null, newWorst: n?.worst ?? null,
    });
  }
  return { changes, same };
}

function stackFigures(r: AuditReport): [string, number | null][] {
  return r.stacks.map((s) => [`${s.name} stack worst case`, s.worst]);
}

/** The difference of two reports; `oldDir` and `newDir` name them in errors. */
export function diffReports(a: AuditReport, b: AuditReport, oldDir: string, newDir: string): AuditDiff {
  if (a.arch !== b.arch) throw new GenError(`${oldDir} holds an ${a.arch} blob and ${newDir} an ${b.arch} one: compare outputs of one architecture`);
  const figures = (r: AuditReport): [string, number | null][] => [
    ['file size', r.fileSize], ['memory size', r.memSize], ['STACK_SIZE', r.stackSize], ['functions', r.functions.length],
    ['privileged instructions', r.privileged.length], ['MMIO sites', r.mmio.length], ...stackFigures(r),
  ];
  const fb = new Map(figures(b));
  const priv = (r: AuditReport): string[] => r.privileged.map((p) => `${p.function}: ${p.kind}${p.detail ? ` ${p.detail}` : ''}`);
  const mmio = (r: AuditReport): string[] => r.mmio.map((m) => `${m.function}: ${m.access} ${m.text}`);
  const { changes, same } = functionDiff(a.functions, b.functions);
  return {
    arch: a.arch,
    sizes: figures(a).map(([key, old]) => ({ key, old, new: fb.get(key) ?? null })),
    privileged: countedDiff(priv(a), priv(b)),
    mmio: countedDiff(mmio(a), mmio(b)),
    functions: changes,
    unchangedFunctions: same,
  };
}

const num = (n: number | null): string => (n === null ? '-' : String(n));
const delta = (a: number | null, b: number | null): string =>
  a === null || b === null ? '' : b === a ? 'same' : `${b > a ? '+' : ''}${b - a}`;

function countedText(title: string, list: Counted[]): string {
  if (list.length === 0) return `\n${title}: no change\n`;
  const rows = list.map((c) => [c.new > c.old ? 'added' : 'removed', `${Math.abs(c.new - c.old)}`, c.key]);
  return `\n${title}: ${list.length} changed\n` + table(rows);
}

export function renderDiff(d: AuditDiff, oldDir: string, newDir: string): string {
  let out = `gen-purgatory audit --diff (${d.arch})\n  old: ${oldDir}\n  new: ${newDir}\n\nfigures\n`;
  out += table([['', 'old', 'new', 'change'], ...d.sizes.map((s) => [s.key, num(s.old), num(s.new), delta(s.old, s.new)])]);
  out += countedText('privileged instructions (by function, kind and detail)', d.privileged);
  out += countedText('MMIO sites', d.mmio);
  out += `\nfunctions: ${d.functions.length} added, removed or changed; ${d.unchangedFunctions} unchanged\n`;
  if (d.functions.length) {
    out += table([['change', 'function', 'size', 'worst-case stack'], ...d.functions.map((f) => [
      f.change, f.name, `${num(f.oldSize)} -> ${num(f.newSize)}`, `${num(f.oldWorst)} -> ${num(f.newWorst)}`])]);
  }
  return out;
}
