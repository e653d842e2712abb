// What the blob does to the machine: privileged instructions and device accesses, each
// with the function it is in and the source line it came from.
//
// The MMIO rule. The blob knows one device address, the console's base, which reaches
// the code only as the `base` field of the console description at the symbol `console`
// (stubs-asm/<arch>/console.s, CON_BASE in generator/loader/layout.ts). Inside each
// function, a register loaded from console+CON_BASE holds a device address, and so does
// any register computed from one without a memory load (add, shift, mov); a load or
// store through such a register is an MMIO site. The taint is kept for the whole
// function regardless of order, so it can only over-report. templates/ code never
// loads through the console base (paging.ts only maps its page); its loads and stores go
// to memory the handoff block names, which the audit does not count as MMIO.
import { CON } from '../loader/layout.ts';
import type { AuditFunction, Program } from './functions.ts';
import type { AuditInsn, Privileged } from './model.ts';

export interface Site {
  offset: number;
  file: string;
  line: number;
  text: string;
}

export interface PrivilegedSite extends Site, Privileged {
  function: string;
}

export interface MmioSite extends Site {
  function: string;
  access: 'load' | 'store';
}

const siteOf = (i: AuditInsn): Site => ({ offset: i.offset, file: i.file, line: i.line, text: `${i.mnemonic} ${i.operands}`.trim() });

/** Registers holding a device address anywhere in `fn` (see the rule above). */
function taintedRegisters(p: Program, fn: AuditFunction): Set<string> {
  const consoleAt = p.blob.symbols.get('console');
  const pointer = new Set<string>();
  const tainted = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    const mark = (set: Set<string>, r: string): void => {
      if (!set.has(r)) { set.add(r); changed = true; }
    };
    for (const k of fn.insns) {
      const f = p.facts[k];
      if (f.ref !== undefined && f.ref === consoleAt) f.writes.forEach((r) => mark(pointer, r));
      else if (f.mem && !f.mem.store && pointer.has(f.mem.base) && f.mem.offset === CON.BASE) f.writes.forEach((r) => mark(tainted, r));
      else if (!f.mem && f.reads.some((r) => tainted.has(r))) f.writes.forEach((r) => mark(tainted, r));
    }
  }
  return tainted;
}

type Regs = Map<string, bigint>;

/** The constants both states agree on. */
function meet(a: Regs | undefined, b: Regs | undefined): Regs {
  if (!a || !b) return new Map(a ?? b ?? []);
  return new Map([...a].filter(([r, v]) => b.get(r) === v));
}

/** Applies one instruction to the known constants. */
function step(p: Program, k: number, regs: Regs): Regs {
  const f = p.facts[k];
  const out = new Map(regs);
  for (const r of f.writes) out.delete(r);
  const c = f.constant;
  const dst = f.writes[0];
  if (c && dst && !c.keep) out.set(dst, c.value);
  const prev = regs.get(dst ?? '');
  if (c?.keep && dst && prev !== undefined) out.set(dst, (prev & ~(0xffffn << BigInt(c.keep.shift))) | c.value);
  return f.flow.kind === 'call' || f.flow.kind === 'callIndirect' ? new Map() : out;
}

/**
 * Constants known in registers before each instruction of `fn`, carried forward along
 * branches: a branch target keeps what all its branches agree on, provided every one of
 * them is earlier in the same function (else nothing is known there).
 */
function constantsBefore(p: Program, fn: AuditFunction, preds: Map<number, number[]>): Map<number, Regs> {
  const out = new Map<number, Regs>();
  const inRange = new Set(fn.insns.map((k) => p.blob.insns[k].offset));
  const incoming = new Map<number, Regs>();
  let regs: Regs | undefined = new Map();
  for (const k of fn.insns) {
    const i = p.blob.insns[k];
    const from = preds.get(i.offset);
    if (from) regs = from.every((o) => inRange.has(o) && o < i.offset) ? meet(regs, incoming.get(i.offset)) : new Map();
    const before: Regs = regs ?? new Map();
    out.set(k, before);
    const after = step(p, k, before);
    const fl = p.facts[k].flow;
    if (fl.kind === 'branch') incoming.set(fl.target, incoming.has(fl.target) ? meet(incoming.get(fl.target), after) : after);
    const falls = fl.kind === 'next' || fl.kind === 'call' || fl.kind === 'callIndirect' || (fl.kind === 'branch' && fl.conditional);
    regs = falls ? after : undefined;
  }
  return out;
}

/** Where each branch target is branched to from. */
function predecessors(p: Program): Map<number, number[]> {
  const preds = new Map<number, number[]>();
  p.facts.forEach((f, k) => {
    if (f.flow.kind === 'branch') preds.set(f.flow.target, [...(preds.get(f.flow.target) ?? []), p.blob.insns[k].offset]);
  });
  return preds;
}

export interface MachineAudit {
  privileged: PrivilegedSite[];
  mmio: MmioSite[];
}

/** Every privileged instruction and MMIO site, in blob order. */
export function machineAudit(p: Program): MachineAudit {
  const privileged: PrivilegedSite[] = [];
  const mmio: MmioSite[] = [];
  const sp = p.arch.sp;
  const preds = predecessors(p);
  for (const fn of p.functions) {
    const taint = taintedRegisters(p, fn);
    const consts = constantsBefore(p, fn, preds);
    for (const k of fn.insns) {
      const i = p.blob.insns[k];
      const priv = p.arch.privileged(i, consts.get(k) ?? new Map(), taint);
      if (priv) privileged.push({ ...siteOf(i), ...priv, function: fn.name });
      const m = p.facts[k].mem;
      if (m && m.base !== sp && taint.has(m.base)) mmio.push({ ...siteOf(i), function: fn.name, access: m.store ? 'store' : 'load' });
    }
  }
  return { privileged, mmio };
}
