// Splits the blob's code into functions. A function starts where the CPU can arrive
// other than by falling through or branching locally: the header's two entries, the
// architecture's other roots (exception vectors), every direct call target, and every
// address the code takes (adr, lea) or a data word names (fntable's `.long f - table`).
// Each instruction belongs, for reporting, to the nearest function start before it.
import type { ArchAudit, AuditBlob, AuditInsn, AuditRoot, InsnFacts } from './model.ts';

export interface AuditFunction {
  name: string;
  offset: number;
  /** Instructions from this start to the next (for grouping; flow may leave the range). */
  insns: number[];
}

export interface ResolvedRoot extends AuditRoot {
  offset: number;
}

export interface Program {
  blob: AuditBlob;
  arch: ArchAudit;
  facts: InsnFacts[];
  /** Instruction index by offset. */
  at: Map<number, number>;
  /** The first label at an offset. */
  names: Map<number, string>;
  /** Function starts, by offset. */
  entries: Map<number, string>;
  functions: AuditFunction[];
  roots: ResolvedRoot[];
  /** Functions whose address is taken: what an indirect call may reach. */
  addressTaken: Set<number>;
  /** Offsets some branch jumps to: basic blocks start there. */
  branchTargets: Set<number>;
}

function firstNames(symbols: Map<string, number>): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, offset] of symbols) if (!names.has(offset)) names.set(offset, name);
  return names;
}

const IDENT = /[A-Za-z_.$][\w.$]*/g;

/** Code symbols named by data directives (`.long f - table`, `.quad _start - …`). */
function namedByData(blob: AuditBlob, isCode: (o: number) => boolean): number[] {
  return blob.data.flatMap((d) => (d.text.replace(/^\.\w+\s*/, '').match(IDENT) ?? [])
    .map((n) => blob.symbols.get(n))
    .filter((o): o is number => o !== undefined && isCode(o)));
}

function resolveRoots(blob: AuditBlob, arch: ArchAudit, names: Map<number, string>): ResolvedRoot[] {
  const header: ResolvedRoot[] = [blob.entryOffset, blob.wayinOffset].map((offset) => ({
    symbol: names.get(offset) ?? `0x${offset.toString(16)}`, stack: 'blob', entryDepth: 0, offset,
  }));
  const extra = arch.roots.flatMap((r) => {
    const offset = blob.symbols.get(r.symbol);
    return offset === undefined ? [] : [{ ...r, offset }];
  });
  return [...header, ...extra];
}

/** Function starts and the grouping of every instruction under one. */
export function program(blob: AuditBlob, arch: ArchAudit): Program {
  const facts = blob.insns.map((i) => arch.facts(i));
  const at = new Map(blob.insns.map((i, k) => [i.offset, k]));
  const names = firstNames(blob.symbols);
  const roots = resolveRoots(blob, arch, names);
  const isCode = (o: number): boolean => at.has(o);
  const starts = new Set<number>(roots.map((r) => r.offset));
  const addressTaken = new Set<number>();
  const branchTargets = new Set<number>();
  facts.forEach((f, k) => {
    if (f.flow.kind === 'call') starts.add(f.flow.target);
    if (f.flow.kind === 'branch') branchTargets.add(f.flow.target);
    // `adr x0, .` (a vector entry's own address) takes no function's address.
    if (f.ref !== undefined && f.ref !== blob.insns[k].offset && isCode(f.ref) && names.has(f.ref)) addressTaken.add(f.ref);
  });
  for (const o of namedByData(blob, isCode)) addressTaken.add(o);
  for (const r of roots) addressTaken.delete(r.offset); // entered by the CPU, not called
  for (const o of addressTaken) starts.add(o);
  const entries = new Map([...starts].filter(isCode).sort((a, b) => a - b).map((o) => [o, names.get(o) ?? `fn_${o.toString(16)}`]));
  return { blob, arch, facts, at, names, entries, functions: group(blob.insns, facts, entries, names, branchTargets), roots, addressTaken, branchTargets };
}

/**
 * Groups start at function starts and at labels control cannot fall or branch into
 * (a stub routine nothing calls, a template of words copied elsewhere): such code is
 * not counted in the function before it.
 */
function group(insns: AuditInsn[], facts: InsnFacts[], entries: Map<number, string>, names: Map<number, string>, branchTargets: Set<number>): AuditFunction[] {
  const out: AuditFunction[] = [];
  insns.forEach((i, k) => {
    const prev = facts[k - 1]?.flow;
    const fallsIn = prev !== undefined && (prev.kind === 'next' || prev.kind === 'call' || prev.kind === 'callIndirect' || (prev.kind === 'branch' && prev.conditional));
    const label = names.get(i.offset);
    const name = entries.get(i.offset) ?? (label !== undefined && !fallsIn && !branchTargets.has(i.offset) ? label : undefined);
    if (name !== undefined) out.push({ name, offset: i.offset, insns: [] });
    out[out.length - 1]?.insns.push(k);
  });
  return out;
}
