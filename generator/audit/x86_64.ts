// The audit's x86-64 part: what each instruction does to control flow, the stack
// pointer and machine state, read from capstone's (Intel syntax) text.
import type { ArchAudit, AuditInsn, Flow, InsnFacts, MemAccess, Privileged, SpEffect } from './model.ts';
import { hex, parseBig, parseNumber, splitOperands } from './operands.ts';

const LEGACY: Record<string, string> = {
  al: 'rax', ah: 'rax', ax: 'rax', eax: 'rax', bl: 'rbx', bh: 'rbx', bx: 'rbx', ebx: 'rbx',
  cl: 'rcx', ch: 'rcx', cx: 'rcx', ecx: 'rcx', dl: 'rdx', dh: 'rdx', dx: 'rdx', edx: 'rdx',
  sil: 'rsi', si: 'rsi', esi: 'rsi', dil: 'rdi', di: 'rdi', edi: 'rdi',
  bpl: 'rbp', bp: 'rbp', ebp: 'rbp', spl: 'rsp', sp: 'rsp', esp: 'rsp',
};

/** A general register by its 64-bit name (r8d → r8, dil → rdi), else undefined. */
function reg(op: string): string | undefined {
  if (/^r(ax|bx|cx|dx|si|di|bp|sp)$/.test(op)) return op;
  const m = /^(r(?:8|9|1[0-5]))[dwb]?$/.exec(op);
  return m ? m[1] : LEGACY[op];
}

const target = (op: string | undefined): number => parseNumber(op) ?? -1;

function flow(m: string, ops: string[]): Flow {
  const direct = parseNumber(ops[0]) !== undefined;
  if (m === 'jmp') return direct ? { kind: 'branch', target: target(ops[0]), conditional: false } : { kind: 'jumpIndirect' };
  if (/^j/.test(m) || m === 'loop') return { kind: 'branch', target: target(ops[0]), conditional: true };
  if (m === 'call') return direct ? { kind: 'call', target: target(ops[0]) } : { kind: 'callIndirect' };
  if (m === 'ret') return { kind: 'ret' };
  if (/^(retf|lret|iret)/.test(m) || m === 'ud2') return { kind: 'stop' };
  return { kind: 'next' };
}

/** `qword ptr [base + disp]`: base register and displacement (index ignored). */
function memOperand(op: string): { base: string; offset: number } | undefined {
  const m = /\[([a-z0-9]+)(?: \+ [a-z0-9]+\*\d)?(?: ([+-]) (0x[0-9a-f]+|\d+))?\]/.exec(op);
  if (!m) return undefined;
  const d = Number(m[3] ?? 0);
  return { base: reg(m[1]) ?? m[1], offset: m[2] === '-' ? -d : d };
}

function spEffect(m: string, ops: string[]): SpEffect {
  if (m === 'push' || m === 'pushfq') return { kind: 'adjust', bytes: 8 };
  if (m === 'pop' || m === 'popfq') return { kind: 'adjust', bytes: -8 };
  if (m === 'leave') return { kind: 'fromFp', pop: 8 };
  if (m === 'mov' && ops[0] === 'rbp' && ops[1] === 'rsp') return { kind: 'saveFp' };
  if (ops[0] !== 'rsp' || /^(cmp|test|push)$/.test(m)) return { kind: 'none' };
  if (m === 'mov' && ops[1] === 'rbp') return { kind: 'fromFp', pop: 0 };
  const imm = parseNumber(ops[1]);
  if (m === 'sub' && imm !== undefined) return { kind: 'adjust', bytes: imm };
  if (m === 'add' && imm !== undefined) return { kind: 'adjust', bytes: -imm };
  // rsp is 8-aligned throughout, so rounding it down to 2^k adds at most 2^k - 8.
  if (m === 'and' && imm !== undefined) return { kind: 'align', bytes: Math.max(0, Number(BigInt.asUintN(64, -BigInt(imm))) - 8) };
  return { kind: 'set' };
}

const NO_WRITE = /^(cmp|test|push|out|outs[bwd]?|jmp|j[a-z]+|call|ret|hlt|cli|sti|wrmsr|lgdt|lidt|ltr|invlpg|nop|xsetbv|mfence|lfence|sfence|pause|cld|std)$/;
const IMPLICIT: Record<string, string[]> = {
  cpuid: ['rax', 'rbx', 'rcx', 'rdx'], rdtsc: ['rax', 'rdx'], rdtscp: ['rax', 'rcx', 'rdx'], rdmsr: ['rax', 'rdx'],
  mul: ['rax', 'rdx'], div: ['rax', 'rdx'], xgetbv: ['rax', 'rdx'], 'rep stosb': ['rdi', 'rcx'], 'rep movsb': ['rdi', 'rsi', 'rcx'],
};

function registers(m: string, ops: string[]): { writes: string[]; reads: string[] } {
  const regs = ops.map((o) => reg(o)).filter((r): r is string => r !== undefined);
  const memRegs = ops.map((o) => memOperand(o)?.base).filter((r): r is string => r !== undefined);
  if (IMPLICIT[m]) return { writes: IMPLICIT[m], reads: regs };
  if (NO_WRITE.test(m) || ops[0]?.includes('[')) return { writes: [], reads: [...regs, ...memRegs] };
  if (m === 'xchg') return { writes: regs, reads: regs };
  const self = /^(add|sub|and|or|xor|shl|shr|sar|inc|dec|neg|not|ror|rol|adc|sbb)$/.test(m) && !(m === 'xor' && ops[0] === ops[1]);
  return { writes: regs.slice(0, 1), reads: [...(self ? regs : regs.slice(1)), ...memRegs] };
}

function constant(m: string, ops: string[]): InsnFacts['constant'] {
  if (m === 'xor' && ops[0] === ops[1] && reg(ops[0])) return { value: 0n };
  if (m !== 'mov' && m !== 'movabs') return undefined;
  if (!reg(ops[0] ?? '')) return undefined;
  const v = parseBig(ops[1]);
  return v === undefined ? undefined : { value: v };
}

/** `add r, imm`, `sub r, imm` and `mov r, r` as dst = src + imm, for stack tops. */
function addOf(m: string, ops: string[]): InsnFacts['add'] {
  const dst = reg(ops[0] ?? '');
  if (!dst || ops.length !== 2) return undefined;
  const src = reg(ops[1]);
  if (m === 'mov' && src) return { dst, src, imm: 0 };
  const imm = parseNumber(ops[1]);
  if ((m !== 'add' && m !== 'sub') || imm === undefined) return undefined;
  return { dst, src: dst, imm: m === 'add' ? imm : -imm };
}

function facts(i: AuditInsn): InsnFacts {
  const m = i.mnemonic;
  const ops = splitOperands(i.operands);
  const { writes, reads } = registers(m, ops);
  // Anything else that writes rsp (xchg, enter…) is treated as a switch: the walk then
  // accepts it only where a stack switch is declared, else it fails.
  const moved = spEffect(m, ops);
  const sp: SpEffect = moved.kind === 'none' && (writes.includes('rsp') || m === 'enter') ? { kind: 'set' } : moved;
  const memOp = ops.find((o) => o.includes('['));
  const mem = memOp ? memOperand(memOp) : undefined;
  const rip = mem?.base === 'rip' ? i.offset + i.size + mem.offset : undefined;
  const access: MemAccess | undefined = mem && m !== 'lea' && !/^(nop|call|jmp)/.test(m)
    ? { base: mem.base, offset: mem.offset, store: memOp === ops[0] && !/^(cmp|test)$/.test(m) }
    : undefined;
  return {
    flow: flow(m, ops),
    sp,
    ref: m === 'lea' ? rip : undefined,
    pcrel: rip,
    mem: access,
    add: addOf(m, ops),
    writes,
    reads,
    clobbersFp: writes.includes('rbp') && sp.kind !== 'saveFp',
    constant: constant(m, ops),
  };
}

/** The port of in/out: an immediate, or dx when the block set it to a constant. */
function port(ops: string[], m: string, regs: ReadonlyMap<string, bigint>, taint: ReadonlySet<string>): string {
  const p = m.startsWith('in') ? ops[1] : ops[0];
  const imm = parseNumber(p);
  if (imm !== undefined) return `port ${hex(imm)}`;
  const dx = regs.get('rdx');
  if (dx !== undefined) return `port ${hex(dx & 0xffffn)}`;
  return taint.has('rdx') ? 'port from the console base' : 'port in dx, not constant';
}

function ecx(regs: ReadonlyMap<string, bigint>, what: string): string {
  const v = regs.get('rcx');
  return v === undefined ? `${what} in ecx, not constant` : `${what} ${hex(v & 0xffff_ffffn)}`;
}

const PLAIN = new Set(['lgdt', 'lidt', 'lldt', 'ltr', 'sgdt', 'sidt', 'invlpg', 'invpcid', 'hlt', 'cli', 'sti', 'rdtsc', 'rdtscp',
  'wbinvd', 'invd', 'clts', 'lmsw', 'swapgs', 'iretq', 'retfq', 'lretq', 'popfq', 'xgetbv', 'rdpmc', 'wrfsbase', 'wrgsbase']);

function privileged(i: AuditInsn, regs: ReadonlyMap<string, bigint>, taint: ReadonlySet<string>): Privileged | undefined {
  const m = i.mnemonic;
  const ops = splitOperands(i.operands);
  if (m === 'mov' && /^[cd]r\d+$/.test(ops[0] ?? '')) return { kind: `mov to ${ops[0].slice(0, 2)}`, detail: ops[0] };
  if (m === 'mov' && /^[cd]r\d+$/.test(ops[1] ?? '')) return { kind: `mov from ${ops[1].slice(0, 2)}`, detail: ops[1] };
  if (m === 'mov' && /^[cdefgs]s$/.test(ops[0] ?? '')) return { kind: 'mov to segment', detail: ops[0] };
  if (/^(in|out)s?[bwd]?$/.test(m)) return { kind: m.startsWith('in') ? 'in' : 'out', detail: port(ops, m, regs, taint) };
  if (m === 'rdmsr' || m === 'wrmsr') return { kind: m, detail: ecx(regs, 'MSR') };
  if (m === 'xsetbv') return { kind: m, detail: ecx(regs, 'XCR') };
  if (m === 'cpuid') {
    const leaf = regs.get('rax');
    return { kind: m, detail: leaf === undefined ? 'leaf not constant' : `leaf ${hex(leaf & 0xffff_ffffn)}` };
  }
  if (PLAIN.has(m)) return { kind: m, detail: '' };
  return undefined;
}

export const x86_64Audit: ArchAudit = {
  facts,
  privileged,
  roots: [
    // entry.s reaches reload_cs by a far return (lretq) that reloads CS.
    { symbol: 'reload_cs', stack: 'blob', entryDepth: 0 },
    // Each IDT gate enters one 5-byte stub of exc_stubs on IST1, after the CPU pushed
    // ss, rsp, rflags, cs, rip and (for some vectors) an error code: 6 quadwords.
    { symbol: 'exc_stubs', stack: 'exception', entryDepth: 0x30 },
  ],
  stackRoles: { rt_callEntry: 'switch', rt_enterImage: 'switch', rt_leaveImage: 'unwind' },
  exceptionStack: 0x800, // vectors.s: IST1, "its lowest 2 KiB are the handler's"
  returnAddress: 8,
  sp: 'rsp',
};
