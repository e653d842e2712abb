// The x86-64 half of the frame pass, over capstone's Intel syntax. The back end
// (compiler/backends/x86_64.ts) opens a frame with `push rbp; mov rbp, rsp`, pushes
// register parameters and subtracts the rest, and leaves with `leave; ret`; between
// those the CFA is rbp + 16 whatever the value stack does to rsp. Before and after it,
// and in frameless code, the CFA is rsp + an offset that every push, pop, `sub rsp` and
// `add rsp` moves. The return address is always at CFA - 8.
// DWARF register numbers (System V x86-64 psABI, 3.6.2): rbp 6, rsp 7, return address 16.
import type { CfaState, FrameArch, FrameState, Flow } from './dwarf-frame.ts';

const RBP = 6;
const RSP = 7;
const RA = 16;

function split(insn: string): { op: string; args: string[] } {
  const m = /^(\S+)\s*(.*)$/.exec(insn.trim());
  return { op: m?.[1] ?? '', args: (m?.[2] ?? '').split(/,\s*/).map((a) => a.trim()).filter(Boolean) };
}

const num = (s: string | undefined): number => (s !== undefined && /^(0x[0-9a-f]+|\d+)$/.test(s) ? Number(s) : NaN);

/** Instructions whose first operand is read, not written. */
const READS_FIRST = /^(cmp|test|push|call|j|bt$|out|ret|lgdt|lidt|ltr|invlpg|wrmsr)/;

function withRbp(s: CfaState, slot: number | undefined): Map<number, number> {
  const saved = new Map(s.saved);
  if (slot === undefined) saved.delete(RBP);
  else if (!saved.has(RBP)) saved.set(RBP, slot);
  return saved;
}

/** push, pop, leave and the moves between rsp and rbp. */
function frameOp(op: string, args: string[], s: CfaState): FrameState | undefined {
  const onRsp = s.reg === RSP;
  const a = args.join(', ');
  if (op === 'push' || op === 'pushfq') {
    return onRsp ? { ...s, offset: s.offset + 8, saved: args[0] === 'rbp' ? withRbp(s, -(s.offset + 8)) : s.saved } : s;
  }
  if (op === 'pop' || op === 'popfq') {
    if (args[0] === 'rsp' || (args[0] === 'rbp' && !onRsp)) return 'unknown';
    return onRsp ? { ...s, offset: s.offset - 8, saved: args[0] === 'rbp' ? withRbp(s, undefined) : s.saved } : s;
  }
  if (op === 'leave') return onRsp ? 'unknown' : { reg: RSP, offset: s.offset - 8, saved: withRbp(s, undefined) };
  if (op === 'mov' && a === 'rbp, rsp') return onRsp ? { ...s, reg: RBP } : 'unknown';
  if (op === 'mov' && a === 'rsp, rbp') return onRsp ? 'unknown' : { ...s, reg: RSP };
  if ((op === 'sub' || op === 'add') && args[0] === 'rsp' && !Number.isNaN(num(args[1]))) {
    return onRsp ? { ...s, offset: s.offset + (op === 'sub' ? 1 : -1) * num(args[1]) } : s;
  }
  return undefined;
}

function effect(insn: string, s: CfaState): FrameState {
  const { op, args } = split(insn);
  const framed = frameOp(op, args, s);
  if (framed !== undefined) return framed === 'unknown' || framed.offset >= 0 ? framed : 'unknown';
  const dest = READS_FIRST.test(op) ? undefined : args[0];
  if (dest === 'rsp' && s.reg === RSP) return 'unknown';
  if ((dest === 'rbp' || dest === 'ebp') && (s.reg === RBP || !s.saved.has(RBP))) return 'unknown';
  return s;
}

function flow(insn: string): Flow {
  const { op, args } = split(insn);
  const target = /^0x[0-9a-f]+$/.test(args[0] ?? '') ? Number(args[0]) : undefined;
  if (op === 'call') return { falls: true, call: target };
  if (op === 'jmp') return { falls: false, target };
  if (/^(j|loop)/.test(op)) return { falls: true, target };
  if (/^(ret|iret|ud2|sysret)/.test(op)) return { falls: false };
  return { falls: true };
}

export const X86_64_FRAMES: FrameArch = {
  codeAlign: 1,
  dataAlign: -8,
  raReg: RA,
  called: { reg: RSP, offset: 8, saved: new Map([[RA, -8]]) },
  sameValue: [],
  effect,
  flow,
};
