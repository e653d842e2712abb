// The AArch64 half of the frame pass: what an instruction does to sp, x29 and x30.
// The back end (compiler/backends/arm64.ts) addresses its frame from sp and moves sp
// at every value-stack push and pop (`str x0, [sp, #-0x10]!`, `ldr x1, [sp], #0x10`),
// so the CFA is sp + an offset that changes inside a function; a function that calls
// saves x29 and x30 with `stp x29, x30, [sp, #-size]!` and the exit reloads them.
// DWARF register numbers: x0-x30 are 0-30, sp is 31 (DWARF for the Arm 64-bit
// architecture, 4.1).
import type { CfaState, FrameArch, FrameState, Flow } from './dwarf-frame.ts';

const SP = 31;
const FP = 29;
const LR = 30;

/** Capstone's immediates: `#0x30`, `#-0x10`, `#8`. */
function imm(s: string): number {
  const neg = s.startsWith('-');
  const v = Number(neg ? s.slice(1) : s);
  return neg ? -v : v;
}

const reg = (op: string | undefined): number | undefined => {
  const m = /^[xw](\d+)$/.exec(op ?? '');
  return m ? Number(m[1]) : undefined;
};

function split(insn: string): { op: string; args: string[] } {
  const m = /^(\S+)\s*(.*)$/.exec(insn.trim());
  const args = (m?.[2] ?? '').split(/,\s*(?![^[]*\])/).map((a) => a.trim()).filter(Boolean);
  return { op: m?.[1] ?? '', args };
}

/** Registers an instruction writes, besides memory; loads name theirs before the `[`. */
function written(op: string, args: string[]): number[] {
  if (op === 'bl' || op === 'blr') return [LR];
  if (/^(st(?!xr|lxr)|cmp$|cmn$|tst$|ccm|b$|b\.|br$|cbn?z$|tbn?z$|ret|eret$|msr$|prfm$|dc$|ic$|tlbi$|hvc$|smc$|svc$|wf[ie]$|dsb$|dmb$|isb$|nop$)/.test(op)) return [];
  const regs = args.filter((a) => !a.startsWith('[') && !a.startsWith('#')).map((a) => (a === 'sp' ? SP : reg(a)));
  const dests = regs.slice(0, op.startsWith('ldp') ? 2 : 1);
  return dests.filter((r): r is number => r !== undefined);
}

/**
 * sp moves (pre-index `[sp, #-n]!`, post-index `[sp], #n`, `add/sub sp, sp, #n`) and,
 * for an access through sp, its address as an offset from sp before the instruction.
 */
function spAccess(op: string, args: string[]): { delta: number; slot?: number } {
  const mem = args.find((a) => a.startsWith('[sp'));
  const pre = mem ? /^\[sp, #(-?\w+)\]!$/.exec(mem) : null;
  if (pre) return { delta: imm(pre[1]), slot: imm(pre[1]) };
  const last = args[args.length - 1] ?? '';
  if (mem === '[sp]' && last.startsWith('#')) return { delta: imm(last.slice(1)), slot: 0 };
  const plain = mem ? /^\[sp(?:, #(-?\w+))?\]$/.exec(mem) : null;
  if (plain) return { delta: 0, slot: plain[1] ? imm(plain[1]) : 0 };
  if ((op === 'add' || op === 'sub') && args[0] === 'sp' && args[1] === 'sp' && args[2]?.startsWith('#')) {
    const scale = args[3] === undefined ? 1 : args[3] === 'lsl #12' ? 4096 : NaN;
    return { delta: (op === 'add' ? 1 : -1) * imm(args[2].slice(1)) * scale };
  }
  return { delta: 0 };
}

/** x29/x30 stored through sp at CFA-relative `slot`: a pair fills slot and slot + 8. */
function saves(op: string, args: string[], s: CfaState, slot: number | undefined): Map<number, number> {
  const saved = new Map(s.saved);
  if (!op.startsWith('st') || slot === undefined) return saved;
  const regs = args.filter((a) => !a.startsWith('[') && !a.startsWith('#')).map(reg);
  regs.forEach((r, i) => {
    if ((r === FP || r === LR) && !saved.has(r)) saved.set(r, slot + 8 * i);
  });
  return saved;
}

/**
 * A stub that calls without a frame keeps x30 in a scratch register (`mov x9, x30`, the
 * calls, `mov x30, x9` after each): the return address is held there until that
 * register is written, whatever x30 does meanwhile.
 */
function held(op: string, args: string[], s: CfaState): Map<number, number> | undefined {
  const from = op === 'mov' ? reg(args[1]) : undefined;
  const dest = reg(args[0]);
  const holder = s.held?.get(LR);
  if (from === LR && dest !== undefined && !s.saved.has(LR) && holder === undefined && args[0].startsWith('x')) {
    return new Map(s.held ?? []).set(LR, dest);
  }
  if (dest === LR && from !== undefined && from === holder) return new Map(s.held ?? []);
  return undefined;
}

function effect(insn: string, s: CfaState): FrameState {
  const { op, args } = split(insn);
  const sp = spAccess(op, args);
  const offset = s.offset - sp.delta;
  const writes = written(op, args);
  const moved = (op === 'add' || op === 'sub') && sp.delta !== 0;
  if ((writes.includes(SP) && !moved) || !Number.isInteger(offset) || offset < 0) return 'unknown';
  const keep = held(op, args, s);
  if (keep) return { ...s, held: keep };
  const saved = saves(op, args, s, sp.slot === undefined ? undefined : sp.slot - s.offset);
  const holder = s.held?.get(LR);
  for (const r of writes) {
    if (r === holder) return 'unknown';
    if (r === LR && !s.saved.has(LR) && holder === undefined) return 'unknown'; // the return address is gone
    if (op.startsWith('ld') && (r === LR || r === FP)) saved.delete(r);
  }
  return { reg: SP, offset, saved, held: s.held };
}

function flow(insn: string): Flow {
  const { op, args } = split(insn);
  const target = /^#0x[0-9a-f]+$|^#\d+$/.test(args[args.length - 1] ?? '') ? imm(args[args.length - 1].slice(1)) : undefined;
  if (op === 'bl') return { falls: true, call: target };
  if (op === 'b') return { falls: false, target };
  if (/^(b\.|cbz|cbnz|tbz|tbnz)/.test(op)) return { falls: true, target };
  if (/^(ret|br|eret)/.test(op)) return { falls: false };
  return { falls: true };
}

export const ARM64_FRAMES: FrameArch = {
  codeAlign: 4,
  dataAlign: -8,
  raReg: LR,
  called: { reg: SP, offset: 0, saved: new Map() },
  sameValue: [LR],
  effect,
  flow,
};
