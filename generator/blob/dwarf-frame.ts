// .debug_frame: where each instruction's caller frame is (the CFA) and where the
// return address and frame registers were saved, for gdb's unwinder.
//
// The rules are not taken on trust from the back ends: a data-flow pass walks the
// instructions capstone decoded, from every function entry and call target, and tracks
// the stack pointer and the saves the architecture's module (dwarf-frame-<arch>.ts)
// recognises. Where paths disagree, or an instruction does something the module cannot
// follow (a stub that sets sp, a call that clobbers an unsaved return address), the
// return address becomes undefined, which gdb reads as "outermost frame": a backtrace
// stops there cleanly instead of printing garbage. The blob's entry points start so.
import { ByteWriter } from './dwarf-encode.ts';

/**
 * The caller's frame is at `reg + offset`; `saved` maps a register to its slot
 * (CFA-relative), `held` to the register that holds its value (a stub's `mov x9, x30`).
 */
export interface CfaState {
  reg: number;
  offset: number;
  saved: ReadonlyMap<number, number>;
  held?: ReadonlyMap<number, number>;
}

/** A known rule, or 'unknown': the return address cannot be recovered here. */
export type FrameState = CfaState | 'unknown';

/** How control leaves an instruction. */
export interface Flow {
  falls: boolean;
  /** A direct branch target (blob offset). */
  target?: number;
  /** A direct call target: a function entry in the callee's calling convention. */
  call?: number;
}

/** What the frame pass needs from an architecture. */
export interface FrameArch {
  codeAlign: number;
  dataAlign: number;
  raReg: number;
  /** The rule at a called function's first instruction (also the CIE's initial rule). */
  called: CfaState;
  /** Registers whose CIE rule is "same value" (so DW_CFA_restore means untouched). */
  sameValue: readonly number[];
  /** The rule after `insn` (capstone text), given the rule before it. */
  effect(insn: string, before: CfaState): FrameState;
  flow(insn: string): Flow;
}

export interface FrameInsn {
  offset: number;
  size: number;
  text: string;
}

/** A function the FDEs cover: [low, high) in blob offsets. */
export interface FrameRange {
  low: number;
  high: number;
}

/** A register's rule as a comparable key: '' (same value), `o<offset>` or `r<holder>`. */
function ruleOf(s: CfaState, r: number): string {
  const o = s.saved.get(r);
  if (o !== undefined) return `o${o}`;
  const h = s.held?.get(r);
  return h === undefined ? '' : `r${h}`;
}

const ruled = (s: CfaState): number[] => [...s.saved.keys(), ...(s.held?.keys() ?? [])];

export function sameState(a: FrameState, b: FrameState): boolean {
  if (a === 'unknown' || b === 'unknown') return a === b;
  if (a.reg !== b.reg || a.offset !== b.offset) return false;
  return [...ruled(a), ...ruled(b)].every((r) => ruleOf(a, r) === ruleOf(b, r));
}

const merge = (old: FrameState | undefined, add: FrameState): FrameState =>
  old === undefined || sameState(old, add) ? add : 'unknown';

/** Seeds: compiled functions and every direct call target are entered by a call; entries are outermost. */
function seeds(insns: FrameInsn[], arch: FrameArch, functions: number[], entries: number[]): Map<number, FrameState> {
  const out = new Map<number, FrameState>();
  const calls = insns.map((i) => arch.flow(i.text).call).filter((c): c is number => c !== undefined);
  for (const at of [...functions, ...calls]) out.set(at, merge(out.get(at), arch.called));
  for (const at of entries) out.set(at, 'unknown');
  return out;
}

/** The rule before every instruction reached from a seed (worklist to a fixed point). */
export function solveFrames(insns: FrameInsn[], arch: FrameArch, functions: number[], entries: number[]): Map<number, FrameState> {
  const index = new Map(insns.map((x, i) => [x.offset, i]));
  const start = seeds(insns, arch, functions, entries);
  const state = new Map<number, FrameState>();
  const work: number[] = [];
  const push = (at: number, s: FrameState): void => {
    const i = index.get(at);
    if (i === undefined) return;
    const next = merge(state.get(at), s);
    if (state.has(at) && sameState(state.get(at) as FrameState, next)) return;
    state.set(at, next);
    work.push(i);
  };
  for (const [at, s] of start) push(at, s);
  while (work.length) {
    const x = insns[work.pop() as number];
    const before = state.get(x.offset) as FrameState;
    const after = before === 'unknown' ? 'unknown' : arch.effect(x.text, before);
    const f = arch.flow(x.text);
    const fall = x.offset + x.size;
    // a function's entry keeps its called rule: nothing flows into it from the code above
    if (f.falls && start.get(fall) === undefined) push(fall, after);
    if (f.target !== undefined) push(f.target, after);
  }
  return state;
}

// Call frame instructions (DWARF 4, 6.4.2).
const DW_CFA_advance_loc = 0x40;
const DW_CFA_offset = 0x80;
const DW_CFA_restore = 0xc0;
const DW_CFA_advance_loc1 = 0x02;
const DW_CFA_advance_loc2 = 0x03;
const DW_CFA_advance_loc4 = 0x04;
const DW_CFA_undefined = 0x07;
const DW_CFA_same_value = 0x08;
const DW_CFA_register = 0x09;
const DW_CFA_def_cfa = 0x0c;
const DW_CFA_def_cfa_register = 0x0d;
const DW_CFA_def_cfa_offset = 0x0e;

function advance(w: ByteWriter, delta: number): void {
  if (delta < 0x40) w.u8(DW_CFA_advance_loc | delta);
  else if (delta < 0x100) w.u8(DW_CFA_advance_loc1).u8(delta);
  else if (delta < 0x10000) w.u8(DW_CFA_advance_loc2).u16(delta);
  else w.u8(DW_CFA_advance_loc4).u32(delta);
}

function cfaRule(w: ByteWriter, from: CfaState, to: CfaState): void {
  if (from.reg !== to.reg && from.offset !== to.offset) w.u8(DW_CFA_def_cfa).uleb(to.reg).uleb(to.offset);
  else if (from.reg !== to.reg) w.u8(DW_CFA_def_cfa_register).uleb(to.reg);
  else if (from.offset !== to.offset) w.u8(DW_CFA_def_cfa_offset).uleb(to.offset);
}

/** The instructions that turn rule `from` into rule `to`. */
function diff(w: ByteWriter, arch: FrameArch, from: CfaState, to: CfaState): void {
  cfaRule(w, from, to);
  const regs = [...new Set([...ruled(from), ...ruled(to)])].sort((a, b) => a - b);
  for (const r of regs) {
    const now = ruleOf(to, r);
    if (now === ruleOf(from, r)) continue;
    const slot = to.saved.get(r);
    const holder = to.held?.get(r);
    if (now === ruleOf(arch.called, r)) w.u8(DW_CFA_restore | r); // the CIE's rule again
    else if (slot !== undefined) w.u8(DW_CFA_offset | r).uleb(slot / arch.dataAlign);
    else if (holder !== undefined) w.u8(DW_CFA_register).uleb(r).uleb(holder);
    else w.u8(DW_CFA_same_value).uleb(r);
  }
}

/** Appends the CIE; returns its offset, which every FDE names. */
export function writeCie(w: ByteWriter, arch: FrameArch): number {
  const at = w.length;
  const end = w.lengthField();
  w.u32(0xffff_ffff).u8(4).cstring(''); // CIE id, version 4, no augmentation
  w.u8(8).u8(0); // address size, segment selector size
  w.uleb(arch.codeAlign).sleb(arch.dataAlign).uleb(arch.raReg);
  w.u8(DW_CFA_def_cfa).uleb(arch.called.reg).uleb(arch.called.offset);
  for (const [r, o] of arch.called.saved) w.u8(DW_CFA_offset | r).uleb(o / arch.dataAlign);
  for (const r of arch.sameValue) w.u8(DW_CFA_same_value).uleb(r);
  while ((w.length - at) % 8) w.u8(0); // DW_CFA_nop
  end();
  return at;
}

/** One FDE for `range`: a row wherever the rule before an instruction changes. */
export function writeFde(w: ByteWriter, arch: FrameArch, cie: number, range: FrameRange, insns: FrameInsn[], state: Map<number, FrameState>, base: number): void {
  const at = w.length;
  const end = w.lengthField();
  w.u32(cie).u64(base + range.low).u64(range.high - range.low);
  let rule: CfaState = arch.called;
  let undefinedRa = false;
  let pc = range.low;
  for (const x of within(insns, range)) {
    const s = state.get(x.offset) ?? 'unknown';
    if (s === 'unknown' ? undefinedRa : !undefinedRa && sameState(s, rule)) continue;
    if (x.offset > pc) advance(w, (x.offset - pc) / arch.codeAlign);
    pc = x.offset;
    if (s === 'unknown') {
      w.u8(DW_CFA_undefined).uleb(arch.raReg);
      undefinedRa = true;
      continue;
    }
    if (undefinedRa) w.u8(DW_CFA_restore | arch.raReg);
    diff(w, arch, undefinedRa ? withInitialRa(rule, arch) : rule, s);
    rule = s;
    undefinedRa = false;
  }
  while ((w.length - at) % 8) w.u8(0);
  end();
}

/** The instructions inside `range`; `insns` are in address order, so a search finds the first. */
function within(insns: FrameInsn[], range: FrameRange): FrameInsn[] {
  let lo = 0;
  let hi = insns.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (insns[mid].offset < range.low) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < insns.length && insns[end].offset < range.high) end++;
  return insns.slice(lo, end);
}

/** After DW_CFA_restore of the return address, its rule is the CIE's again. */
function withInitialRa(rule: CfaState, arch: FrameArch): CfaState {
  const saved = new Map(rule.saved);
  const held = new Map(rule.held ?? []);
  const initial = arch.called.saved.get(arch.raReg);
  held.delete(arch.raReg);
  if (initial === undefined) saved.delete(arch.raReg);
  else saved.set(arch.raReg, initial);
  return { ...rule, saved, held };
}
