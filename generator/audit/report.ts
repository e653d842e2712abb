// The audit report of one blob: functions with their frames, the stacks and their worst
// cases, privileged instructions and MMIO sites. Built from an AuditBlob only, so a blob
// just generated and one read back from its directory give the same report.
import { createHash } from 'node:crypto';
import { GenError } from '../errors.ts';
import { INDIRECT, RECURSION } from './declared.ts';
import { program, type Program, type ResolvedRoot } from './functions.ts';
import { stackTops } from './tops.ts';
import { machineAudit, type MmioSite, type PrivilegedSite } from './machine.ts';
import type { ArchAudit, AuditBlob } from './model.ts';
import { analyseStack, deepestChain, type StackAnalysis } from './stack.ts';
import { hex } from './operands.ts';
import { shapeOf, symbolicNames } from './shape.ts';

export interface FunctionReport {
  name: string;
  offset: number;
  /** Bytes from this function's start to the next one's. */
  size: number;
  /** Source of its first instruction. */
  file: string;
  line: number;
  /** Deepest point of its own code, bytes below the stack pointer at entry; null if never called. */
  frame: number | null;
  /** With everything it calls; null when unbounded or never called. */
  worst: number | null;
  addressTaken: boolean;
  /** sha256 (16 hex digits) of its instructions with positions made symbolic: equal if unchanged. */
  hash: string;
}

export interface StackReport {
  /** blob: the entries' stack; exception: the emergency stack; image: one call from the image. */
  name: 'blob' | 'exception' | 'image';
  /** Bytes available, when the blob fixes them. */
  size: number | null;
  worst: number | null;
  /** Functions running on it from the start (roots), or the handlers. */
  from: string[];
  /** The deepest call chain. */
  chain: string[];
  /** Whether the roots were seen to set sp to the top of exactly this room (tops.ts). */
  topChecked: boolean;
}

export interface AuditReport {
  arch: string;
  fileSize: number;
  memSize: number;
  /** STACK_SIZE: the header's memory size minus the end of the zero-filled data. */
  stackSize: number;
  functions: FunctionReport[];
  stacks: StackReport[];
  /** Indirect calls on the blob's own stacks, and what they may reach. */
  indirect: { sites: string[]; targets: string[] };
  privileged: PrivilegedSite[];
  mmio: MmioSite[];
  /** Facts taken on trust (declared.ts) that this blob relies on. */
  declared: { function: string; fact: string; why: string }[];
  /** Why a bound could not be computed; generation fails on any. */
  problems: string[];
}

function declaredFacts(p: Program): AuditReport['declared'] {
  const names = new Set(p.entries.values());
  const rec = Object.entries(RECURSION).filter(([f]) => names.has(f)).map(([f, r]) => ({ function: f, fact: `recursion at most ${r.bound} deep`, why: r.why }));
  const ind = Object.entries(INDIRECT).filter(([f]) => names.has(f)).map(([f, r]) => ({ function: f, fact: `indirect call reaches ${r.targets.join(', ')}`, why: r.why }));
  return [...rec, ...ind];
}

const finite = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : n);

function functionReports(p: Program, a: StackAnalysis, sym: (o: number) => string): FunctionReport[] {
  return p.functions.map((fn, n) => {
    const first = p.blob.insns[fn.insns[0]];
    const next = p.functions[n + 1]?.offset;
    const last = p.blob.insns[fn.insns[fn.insns.length - 1]];
    return {
      name: fn.name, offset: fn.offset, size: (next ?? last.offset + last.size) - fn.offset, file: first.file, line: first.line,
      frame: a.walked.get(fn.offset)?.frame ?? null, worst: finite(a.worst.get(fn.offset)), addressTaken: p.addressTaken.has(fn.offset),
      hash: createHash('sha256').update(shapeOf(p, fn.insns, sym)).digest('hex').slice(0, 16),
    };
  });
}

/** Every root that switches to this stack must set sp to `expected`; problems name those that do not. */
function checkTops(p: Program, roots: ResolvedRoot[], expected: number, problems: string[]): boolean {
  let seen = false;
  for (const r of roots) {
    for (const top of stackTops(p, r)) {
      if (top !== expected) problems.push(`${r.symbol}: sets sp to ${top === undefined ? 'a value the audit cannot work out' : hex(top)}, not the stack's top ${hex(expected)}`);
      else seen = true;
    }
  }
  return seen;
}

function rootStack(p: Program, a: StackAnalysis, name: 'blob' | 'exception', room: { size: number; top: number }, problems: string[]): StackReport {
  const roots = p.roots.filter((r) => r.stack === name);
  let worst = 0;
  let deepest = roots[0];
  for (const r of roots) {
    const w = r.entryDepth + (a.worst.get(r.offset) ?? Infinity);
    if (w > worst) { worst = w; deepest = r; }
  }
  return {
    name, size: room.size, worst: finite(worst), from: roots.map((r) => r.symbol),
    chain: deepest ? deepestChain(p, a, deepest.offset) : [], topChecked: checkTops(p, roots, room.top, problems),
  };
}

function imageStack(p: Program, a: StackAnalysis): StackReport {
  const handlers = [...p.addressTaken].sort((x, y) => x - y);
  let worst = 0;
  let deepest: number | undefined;
  for (const h of handlers) {
    const w = p.arch.returnAddress + (a.worstPerCall.get(h) ?? Infinity);
    if (w > worst) { worst = w; deepest = h; }
  }
  const chain = deepest === undefined ? [] : [p.entries.get(deepest) ?? hex(deepest)];
  return { name: 'image', size: null, worst: finite(worst), from: handlers.map((h) => p.entries.get(h) ?? hex(h)), chain, topChecked: false };
}

/** The stack figures and the problems that make generation fail. */
function stacksOf(p: Program, a: StackAnalysis, memEnd: number, stackSize: number): { stacks: StackReport[]; problems: string[] } {
  const exc = p.arch.exceptionStack;
  const problems = [...a.problems];
  // The emergency stack is the lowest part of the blob stack: the entries get the rest.
  const blob = rootStack(p, a, 'blob', { size: stackSize - exc, top: memEnd + stackSize }, problems);
  const exception = rootStack(p, a, 'exception', { size: exc, top: memEnd + exc }, problems);
  for (const s of [blob, exception]) {
    if (s.worst === null) problems.push(`${s.name} stack: no bound (see above)`);
    else if (s.size !== null && s.worst > s.size) {
      problems.push(`${s.name} stack: worst case ${hex(s.worst)} bytes exceeds its ${hex(s.size)} bytes (${s.chain.join(' -> ')})`);
    }
  }
  return { stacks: [blob, exception, imageStack(p, a)], problems };
}

function indirectSites(p: Program, a: StackAnalysis, sym: (o: number) => string): AuditReport['indirect'] {
  const sites: string[] = [];
  for (const [, w] of a.walked) for (const c of w.calls) if (c.callee === 'indirect') sites.push(sym(c.at));
  return { sites: [...new Set(sites)].sort(), targets: [...p.addressTaken].sort((x, y) => x - y).map((o) => p.entries.get(o) ?? hex(o)) };
}

/** The whole report of one blob. */
export function auditBlob(blob: AuditBlob, arch: ArchAudit): AuditReport {
  const p = program(blob, arch);
  const memEnd = blob.symbols.get('__mem_end');
  if (memEnd === undefined) throw new GenError('the blob has no __mem_end symbol: cannot find its stack');
  const stackSize = blob.memSize - memEnd;
  const a = analyseStack(p);
  const sym = symbolicNames(p);
  const { stacks, problems } = stacksOf(p, a, memEnd, stackSize);
  const m = machineAudit(p);
  return {
    arch: blob.arch, fileSize: blob.fileSize, memSize: blob.memSize, stackSize,
    functions: functionReports(p, a, sym), stacks, indirect: indirectSites(p, a, sym),
    privileged: m.privileged, mmio: m.mmio, declared: declaredFacts(p), problems,
  };
}

/** Fails generation when any stack could overflow or cannot be bounded (only the stack pass runs). */
export function checkStacks(blob: AuditBlob, arch: ArchAudit): void {
  const p = program(blob, arch);
  const memEnd = blob.symbols.get('__mem_end');
  if (memEnd === undefined) throw new GenError('the blob has no __mem_end symbol: cannot find its stack');
  const { problems } = stacksOf(p, analyseStack(p), memEnd, blob.memSize - memEnd);
  if (problems.length) throw new GenError(`stack check failed: ${problems.join('; ')} (gen-purgatory audit explains the figures, docs/audit.md)`);
}
