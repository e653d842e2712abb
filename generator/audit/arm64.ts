// The audit's arm64 part: what each AArch64 instruction does to control flow, the
// stack pointer and machine state, read from capstone's text.
import type { ArchAudit, AuditInsn, Flow, InsnFacts, MemAccess, Privileged, SpEffect } from './model.ts';
import { hex, parseBig, parseNumber, splitOperands } from './operands.ts';

/** w-registers name the low half of x-registers: the audit tracks the x name. */
function reg(op: string): string | undefined {
  const m = /^([wx])(\d+|zr)$/.exec(op);
  if (m) return `x${m[2]}`;
  return op === 'sp' || op === 'wsp' ? 'sp' : undefined;
}

const target = (op: string | undefined): number => parseNumber(op) ?? -1;

function flow(m: string, ops: string[]): Flow {
  if (m === 'b') return { kind: 'branch', target: target(ops[0]), conditional: false };
  if (m.startsWith('b.')) return { kind: 'branch', target: target(ops[0]), conditional: true };
  if (m === 'cbz' || m === 'cbnz') return { kind: 'branch', target: target(ops[1]), conditional: true };
  if (m === 'tbz' || m === 'tbnz') return { kind: 'branch', target: target(ops[2]), conditional: true };
  if (m === 'bl') return { kind: 'call', target: target(ops[0]) };
  if (m === 'blr') return { kind: 'callIndirect' };
  if (m === 'br') return { kind: 'jumpIndirect' };
  if (m === 'ret') return { kind: 'ret' };
  if (m === 'eret') return { kind: 'stop' };
  return { kind: 'next' };
}

type MemOperand = { index: number; base: string; offset: number; pre: boolean };

/** The memory operand `[base, #off]` (with `!` or a post-index), if any. */
function memOperand(ops: string[]): MemOperand | undefined {
  const index = ops.findIndex((o) => o.startsWith('['));
  if (index < 0) return undefined;
  const m = /^\[([a-z0-9]+)(?:, (#-?(?:0x[0-9a-f]+|\d+)))?[^\]]*\](!?)$/.exec(ops[index]);
  if (!m) return undefined;
  return { index, base: reg(m[1]) ?? m[1], offset: parseNumber(m[2]) ?? 0, pre: m[3] === '!' };
}

function spEffect(m: string, ops: string[], mem: MemOperand | undefined): SpEffect {
  if (mem?.base === 'sp' && mem.pre) return { kind: 'adjust', bytes: -mem.offset };
  if (mem?.base === 'sp' && ops.length > mem.index + 1) return { kind: 'adjust', bytes: -(parseNumber(ops[mem.index + 1]) ?? 0) };
  if (m === 'mov' && ops[0] === 'x29' && ops[1] === 'sp') return { kind: 'saveFp' };
  if (reg(ops[0] ?? '') !== 'sp' || mem || m.startsWith('st') || m === 'cmp' || m === 'cmn' || m === 'tst') return { kind: 'none' };
  if (m === 'mov' && ops[1] === 'x29') return { kind: 'fromFp', pop: 0 };
  const imm = parseNumber(ops[2]);
  const scale = ops[3] === 'lsl #12' ? 0x1000 : 1;
  if ((m === 'sub' || m === 'add') && ops[1] === 'sp' && imm !== undefined) {
    return { kind: 'adjust', bytes: (m === 'sub' ? 1 : -1) * imm * scale };
  }
  return { kind: 'set' };
}

function memAccess(m: string, mem: MemOperand | undefined): MemAccess | undefined {
  if (!/^(ld|st)/.test(m)) return undefined;
  return mem ? { base: mem.base, offset: mem.offset, store: m.startsWith('st') } : undefined;
}

function registers(m: string, ops: string[], mem: MemOperand | undefined): { writes: string[]; reads: string[] } {
  const regs = ops.map((o) => reg(o)).filter((r): r is string => r !== undefined && r !== 'xzr');
  if (m.startsWith('st') || /^(cmp|cmn|tst|cb|tb|b|ret|msr|dc|ic|tlbi)/.test(m)) return { writes: [], reads: mem ? [mem.base, ...regs] : regs };
  if (m.startsWith('ld')) return { writes: ops.slice(0, mem?.index ?? 1).map((o) => reg(o)).filter((r): r is string => !!r), reads: mem ? [mem.base] : [] };
  return { writes: regs.slice(0, 1), reads: regs.slice(1) };
}

function constant(m: string, ops: string[]): InsnFacts['constant'] {
  const v = parseBig(ops[1]);
  if (v === undefined) return m === 'orr' && /^[wx]zr$/.test(ops[1] ?? '') ? constantOf(ops[2]) : undefined;
  const shift = /^lsl #(\d+|0x[0-9a-f]+)$/.exec(ops[2] ?? '');
  const s = shift ? Number(shift[1]) : 0;
  if (m === 'mov' || m === 'movz') return { value: BigInt.asUintN(ops[0].startsWith('w') ? 32 : 64, v << BigInt(s)) };
  if (m === 'movk') return { value: v << BigInt(s), keep: { shift: s } };
  return undefined;
}
const constantOf = (op: string | undefined): InsnFacts['constant'] => {
  const v = parseBig(op);
  return v === undefined ? undefined : { value: v };
};

/** `add xd, xs, #imm{, lsl #12}` and `mov xd, xs` (sp included) as dst = src + imm. */
function addOf(m: string, ops: string[]): InsnFacts['add'] {
  const dst = reg(ops[0] ?? '');
  const src = reg(ops[1] ?? '');
  if (!dst || !src) return undefined;
  if (m === 'mov' && ops.length === 2) return { dst, src, imm: 0 };
  const imm = parseNumber(ops[2]);
  if ((m !== 'add' && m !== 'sub') || imm === undefined) return undefined;
  const scaled = imm * (ops[3] === 'lsl #12' ? 0x1000 : 1);
  return { dst, src, imm: m === 'add' ? scaled : -scaled };
}

function facts(i: AuditInsn): InsnFacts {
  const m = i.mnemonic;
  const ops = splitOperands(i.operands);
  const memOp = memOperand(ops);
  const sp = spEffect(m, ops, memOp);
  const { writes, reads } = registers(m, ops, memOp);
  return {
    flow: flow(m, ops),
    sp,
    ref: m === 'adr' ? parseNumber(ops[1]) : undefined,
    // adr and literal loads (ldr x0, #0x1234) name an address relative to themselves.
    pcrel: m === 'adr' || m.startsWith('ldr') ? parseNumber(ops[1]) : undefined,
    mem: memAccess(m, memOp),
    add: addOf(m, ops),
    writes,
    reads,
    clobbersFp: writes.includes('x29') && sp.kind !== 'saveFp',
    constant: /^(mov|movz|movk|orr)$/.test(m) ? constant(m, ops) : undefined,
  };
}

const SYSTEM = new Set(['tlbi', 'dc', 'ic', 'at', 'sys', 'sysl', 'dsb', 'dmb', 'isb', 'eret', 'wfi', 'wfe', 'sev', 'sevl']);

/** SMCCC: the function ID is in w0 when hvc or smc runs. */
function conduit(regs: ReadonlyMap<string, bigint>): string {
  const id = regs.get('x0');
  return id === undefined ? 'function ID not constant' : `function ID ${hex(BigInt.asUintN(32, id))}`;
}

function privileged(i: AuditInsn, regs: ReadonlyMap<string, bigint>): Privileged | undefined {
  const m = i.mnemonic;
  const ops = splitOperands(i.operands);
  if (m === 'msr') return { kind: 'msr', detail: ops[0] };
  if (m === 'mrs') return { kind: 'mrs', detail: ops[1] };
  if (m === 'hvc' || m === 'smc') return { kind: m, detail: conduit(regs) };
  if (SYSTEM.has(m)) return { kind: m, detail: ops.filter((o) => !reg(o)).join(', ') };
  return undefined;
}

export const arm64Audit: ArchAudit = {
  facts,
  privileged,
  // vectors_install points VBAR at a table whose every entry branches to exc_vector.
  roots: [{ symbol: 'exc_vector', stack: 'exception', entryDepth: 0 }],
  stackRoles: { rt_callEntry: 'switch', rt_enterImage: 'switch', rt_leaveImage: 'unwind' },
  exceptionStack: 0x800, // vectors.s: "emergency stack: the lowest 0x800 bytes of the blob stack"
  returnAddress: 0,
  sp: 'sp',
};
