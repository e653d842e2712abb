// The x86-64 back end, run for real: hand-built IR programs become Linux user-mode
// executables whose `main` runs hundreds of checks and returns the number of the first
// that failed (0 when all pass). Hand-written assembly helpers look at the machine
// state from outside the compiled code: RSP alignment, stack-passed arguments as the
// Microsoft convention places them, callee-saved registers, shadow-space scribbles.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x86_64Backend as backend } from '../../generator/compiler/backends/x86_64.ts';
import { hostedExecutable, toUnit } from '../../generator/compiler/hosted.ts';
import { splitComment } from '../../generator/blob/source.ts';
import { x86_64 } from '../../generator/targets/x86_64.ts';
import { assemble } from '../../generator/toolchain/assembler.ts';
import type { BinOp, Cond, Datum, Func, Op, Program, Width } from '../../generator/compiler/ir.ts';
import { func as funcOf, ops } from './ir-builder.ts';
import { peepholeProgram } from '../../generator/compiler/peephole.ts';

const FILE = 'templates/fake.ts';
const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);

// ---- building IR by hand -------------------------------------------------------------

const { imm, push, pop, ret, label, call, binary, args, params, slot } = ops;

/** A Func of FILE whose body is exactly `body`, prologue included. */
const func = (name: string, body: Op[], nParams = 0, slots = nParams): Func => funcOf(name, FILE, body, nParams, slots);

/** One check: ops leaving a value in A (value stack as found), and the value expected. */
interface Check { name: string; ops: Op[] }

/** Named checks that a `main` runs in order; it returns the 1-based number of the first failure. */
class Checks {
  readonly list: Check[] = [];
  expect(name: string, compute: Op[], expected: bigint): void {
    const k = this.list.length + 1;
    this.list.push({ name, ops: [...compute, push, imm(expected), pop, { op: 'bin', kind: 'xor' },
      { op: 'jz', target: `ok${k}` }, imm(BigInt(k)), ret, label(`ok${k}`)] });
  }
  main(name = 'main', list: Check[] = this.list): Func {
    return func(name, [...list.flatMap((c) => c.ops), imm(0n), ret]);
  }
}

// ---- building and running ------------------------------------------------------------

let dir = '';
let serial = 0;

function programLines(p: Program, main: string, signed: boolean, asm: string[] = []): string[] {
  return [...backend.hostedStart(main, signed), ...p.funcs.flatMap((f) => backend.emitFunc(f)), ...asm, ...backend.emitData(p.data)];
}

/** Characters keystone is handed for these lines (comments are split off before it). */
const sourceSize = (lines: string[]): number => lines.reduce((n, l) => n + splitComment(l).code.length + 1, 0);

/**
 * keystone-js copies the whole source onto its WASM stack and traps beyond about 76 KB
 * of text, so big check lists run as several executables of at most this much.
 */
const UNIT_BUDGET = 0x10000;

async function run(p: Program, main: string, signed = false, asm: string[] = []): Promise<string> {
  const lines = programLines(p, main, signed, asm);
  if (sourceSize(lines) > UNIT_BUDGET) throw new Error(`test program too big for keystone: ${sourceSize(lines)} characters`);
  const elf = await hostedExecutable(x86_64, lines);
  const path = join(dir, `prog${serial++}`);
  writeFileSync(path, elf, { mode: 0o755 });
  return execFileSync(path, { encoding: 'utf8', timeout: 20_000 });
}

/** Splits the checks into runs that each fit the budget next to the fixed part. */
function batches(checks: Checks, fixed: number): Check[][] {
  const out: Check[][] = [[]];
  let size = fixed + 0x200; // main's own prologue and return
  for (const c of checks.list) {
    const n = sourceSize(backend.emitFunc(func('m', c.ops)));
    if (size + n > UNIT_BUDGET && out[out.length - 1].length > 0) { out.push([]); size = fixed + 0x200; }
    out[out.length - 1].push(c);
    size += n;
  }
  return out;
}

/** Runs the checks, in as many executables as needed; the names of the first failure of each. */
async function failures(checks: Checks, funcs: Func[] = [], data: Datum[] = [], asm: string[] = [], fused = false): Promise<string[]> {
  const fixed = sourceSize(programLines({ funcs, data }, 'main', false, asm));
  const failed: string[] = [];
  for (const list of batches(checks, fixed)) {
    const p: Program = { funcs: [checks.main('main', list), ...funcs], data };
    const out = await run(fused ? peepholeProgram(p) : p, 'main', false, asm);
    const k = Number(out.trim());
    if (k !== 0) failed.push(list[k - 1]?.name ?? `unknown check ${out.trim()}`);
  }
  return failed;
}

// ---- reference semantics -------------------------------------------------------------

const EDGES: bigint[] = [0n, 1n, M64, 1n << 31n, 1n << 32n, 1n << 63n, 0x7fff_ffffn, 5n, u64(-7n)];

function reference(kind: BinOp, a: bigint, b: bigint): bigint {
  const sa = i64(a);
  const sb = i64(b);
  switch (kind) {
    case 'add': return u64(a + b);
    case 'sub': return u64(a - b);
    case 'mul': return u64(a * b);
    case 'udiv': return a / b;
    case 'urem': return a % b;
    case 'sdiv': return u64(sa / sb); // BigInt division truncates toward zero
    case 'srem': return u64(sa % sb);
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return u64(a << (b & 63n));
    case 'lshr': return a >> (b & 63n);
    case 'ashr': return u64(sa >> (b & 63n));
  }
}

function holds(cond: Cond, a: bigint, b: bigint): boolean {
  const [sa, sb] = [i64(a), i64(b)];
  const table: Record<Cond, boolean> = {
    eq: a === b, ne: a !== b, ult: a < b, ule: a <= b, ugt: a > b, uge: a >= b,
    slt: sa < sb, sle: sa <= sb, sgt: sa > sb, sge: sa >= sb,
  };
  return table[cond];
}

function extend(v: bigint, width: Width, signed: boolean): bigint {
  const bits = BigInt(8 * width);
  return signed ? u64(BigInt.asIntN(Number(bits), v)) : BigInt.asUintN(Number(bits), v);
}

const BINOPS: BinOp[] = ['add', 'sub', 'mul', 'udiv', 'sdiv', 'urem', 'srem', 'and', 'or', 'xor', 'shl', 'lshr', 'ashr'];
const CONDS: Cond[] = ['eq', 'ne', 'ult', 'ule', 'ugt', 'uge', 'slt', 'sle', 'sgt', 'sge'];
const WIDTHS: Width[] = [1, 2, 4, 8];
const hex = (v: bigint): string => `0x${v.toString(16)}`;

function arithmeticChecks(): Checks {
  const c = new Checks();
  for (const kind of BINOPS) {
    for (const a of EDGES) {
      for (const b of EDGES) {
        if (b === 0n && /div|rem/.test(kind)) continue; // undefined by contract
        c.expect(`${hex(a)} ${kind} ${hex(b)}`, binary(a, b, { op: 'bin', kind }), reference(kind, a, b));
      }
    }
  }
  return c;
}

function compareChecks(): Checks {
  const c = new Checks();
  for (const cond of CONDS) {
    for (const a of EDGES) {
      for (const b of EDGES) c.expect(`${hex(a)} ${cond} ${hex(b)}`, binary(a, b, { op: 'cmp', cond }), holds(cond, a, b) ? 1n : 0n);
    }
  }
  const values = [...EDGES, 0x80n, 0x7fn, 0xffn, 0x8000n, 0x7fffn, 0x1234_5678_9abc_def0n, 0xfedc_ba98_7654_3210n, 0x8000_0000_7fff_ffffn, 0x8000_0000_8000_0000n];
  for (const v of values) {
    for (const width of WIDTHS) {
      for (const signed of [false, true]) c.expect(`ext${width}${signed ? 's' : 'u'} ${hex(v)}`, [imm(v), { op: 'ext', width, signed }], extend(v, width, signed));
    }
    c.expect(`neg ${hex(v)}`, [imm(v), { op: 'neg' }], u64(-v));
    c.expect(`not ${hex(v)}`, [imm(v), { op: 'not' }], v ^ M64);
    c.expect(`imm ${hex(v)}`, [imm(v)], v);
  }
  c.expect('imm -1 as negative bigint', [imm(-1n)], M64);
  // both sides computed: after the peephole pass, a jcmp on B and A (nothing to reorder)
  const computed = (v: bigint): Op[] => [imm(v), { op: 'not' }, { op: 'not' }];
  let n = 0;
  for (const cond of CONDS) {
    for (const [a, b] of [[5n, M64], [M64, 5n], [1n << 63n, 1n], [5n, 5n]]) {
      const [no, done] = [`jc_no${n}`, `jc_done${n++}`];
      c.expect(`branch ${hex(a)} ${cond} ${hex(b)}`, [...computed(a), push, ...computed(b), pop, { op: 'cmp', cond }, { op: 'jz', target: no },
        imm(1n), { op: 'jump', target: done }, label(no), imm(0n), label(done)], holds(cond, a, b) ? 1n : 0n);
      // the 0/1 value stays live at the target: the branch tests the compare's flags (flagBranch)
      for (const br of ['jz', 'jnz'] as const) {
        const to = `jc_live${n++}`;
        const taken = holds(cond, a, b) === (br === 'jnz');
        c.expect(`live ${br} ${hex(a)} ${cond} ${hex(b)}`, [...computed(a), push, imm(b), pop, { op: 'cmp', cond }, { op: br, target: to },
          imm(5n), label(to)], taken ? (holds(cond, a, b) ? 1n : 0n) : 5n);
      }
    }
  }
  return c;
}

// ---- memory ---------------------------------------------------------------------------

const PATTERN = Uint8Array.from([0x80, 0xff, 0x7f, 0x01, 0x00, 0x80, 0xff, 0xff, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]);

const DATA: Datum[] = [
  { symbol: 'scratch', align: 16, bytes: new Uint8Array(16), writable: true },
  { symbol: 'odd', align: 1, bytes: Uint8Array.from([0x2a]), writable: false },
  { symbol: 'pattern', align: 8, bytes: PATTERN, writable: false },
  { symbol: 'zeros', align: 0x1000, bytes: new Uint8Array(0x40), writable: true },
  { symbol: 'tail', align: 4, bytes: Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55]), writable: false },
];

/** A = address of `symbol` + offset. */
const address = (symbol: string, offset: number): Op[] =>
  offset === 0 ? [{ op: 'addr.global', symbol }] : [{ op: 'addr.global', symbol }, push, imm(BigInt(offset)), pop, { op: 'bin', kind: 'add' }];

/** memory[symbol + offset] = value (width bytes). */
const store = (symbol: string, offset: number, value: bigint, width: Width): Op[] =>
  [...address(symbol, offset), push, imm(value), pop, { op: 'store', width }];

const load = (symbol: string, offset: number, width: Width, signed: boolean): Op[] =>
  [...address(symbol, offset), { op: 'load', width, signed }];

function readLE(bytes: Uint8Array, at: number, width: number): bigint {
  let v = 0n;
  for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[at + k]);
  return v;
}

function memoryChecks(): Checks {
  const c = new Checks();
  for (const width of WIDTHS) {
    for (const signed of [false, true]) {
      for (let at = 0; at + width <= PATTERN.length; at += width) {
        c.expect(`load${width}${signed ? 's' : 'u'} pattern+${at}`, load('pattern', at, width, signed), extend(readLE(PATTERN, at, width), width, signed));
      }
    }
  }
  c.expect('load odd', load('odd', 0, 1, false), 0x2an);
  c.expect('load tail', load('tail', 4, 1, false), 0x55n);
  c.expect('zeros is page-aligned', [...address('zeros', 0), push, imm(0xfffn), pop, { op: 'bin', kind: 'and' }], 0n);
  // each store writes exactly its width: fill with 0x11…, overwrite the low part, read all 8
  const fill = 0x1111_1111_1111_1111n;
  const value = 0x8899_aabb_ccdd_eeffn;
  for (const width of WIDTHS) {
    const mask = (1n << BigInt(8 * width)) - 1n;
    const ops = [...store('scratch', 8, fill, 8), ...store('scratch', 8, value, width), ...load('scratch', 8, 8, false)];
    c.expect(`store${width}`, ops, (fill & ~mask) | (value & mask));
    c.expect(`store${width} then signed load`, load('scratch', 8, width, true), extend(value, width, true));
  }
  c.expect('store leaves A', [...store('scratch', 0, 0x77n, 1)], 0x77n);
  c.expect('write to zeros', [...store('zeros', 0x38, value, 8), ...load('zeros', 0x38, 4, false)], value & 0xffff_ffffn);
  // a computed value stored to a symbol + offset (store.a after the peephole pass)
  const computed: Op[] = [imm(value), { op: 'not' }, { op: 'not' }];
  for (const width of WIDTHS) {
    const mask = (1n << BigInt(8 * width)) - 1n;
    const ops = [...store('scratch', 8, fill, 8), ...address('scratch', 8), push, ...computed, pop, { op: 'store', width } as Op, ...load('scratch', 8, 8, false)];
    c.expect(`computed store${width}`, ops, (fill & ~mask) | (value & mask));
  }
  return c;
}

// ---- calls ----------------------------------------------------------------------------

/** f<n>(a0..an-1) = sum of a_k << 4k: any argument in the wrong place changes the result. */
function weighted(n: number): Func {
  const ops: Op[] = [...params(n), imm(0n)];
  for (let k = 0; k < n; k++) {
    ops.push(push, slot(k), push, imm(BigInt(4 * k)), pop, { op: 'bin', kind: 'shl' }, pop, { op: 'bin', kind: 'add' });
  }
  return func(`f${n}`, [...ops, ret], n, n + 1); // one unused slot: odd and even frame sizes
}
const weightedSum = (values: bigint[]): bigint => values.reduce((s, v, k) => s + (v << BigInt(4 * k)), 0n);
const ARGS = (n: number): bigint[] => Array.from({ length: n }, (_, k) => BigInt(k + 1));

/** sum(n) = n == 0 ? 0 : n + sum(n - 1), one frame per level. */
const recursive = func('sum', [
  ...params(1), slot(0), { op: 'jnz', target: 'more' }, imm(0n), ret,
  label('more'), slot(0), push, slot(0), push, imm(1n), pop, { op: 'bin', kind: 'sub' }, push, call('sum', 1),
  pop, { op: 'bin', kind: 'add' }, ret,
], 1);

/** Counts down with jnz and up with jz: sum of 1..n both ways, slot 1 the accumulator. */
const loops = func('loops', [
  ...params(1), imm(0n), { op: 'slot.store', slot: 1 },
  label('down'), slot(1), push, slot(0), pop, { op: 'bin', kind: 'add' }, { op: 'slot.store', slot: 1 },
  slot(0), push, imm(1n), pop, { op: 'bin', kind: 'sub' }, { op: 'slot.store', slot: 0 }, { op: 'jnz', target: 'down' },
  label('up'), slot(0), push, imm(0x64n), pop, { op: 'cmp', cond: 'uge' }, { op: 'jz', target: 'step' },
  slot(1), ret,
  label('step'), slot(0), push, imm(1n), pop, { op: 'bin', kind: 'add' }, { op: 'slot.store', slot: 0 },
  push, slot(1), pop, { op: 'bin', kind: 'add' }, { op: 'slot.store', slot: 1 }, { op: 'jump', target: 'up' },
], 1, 2);

/** Void function that falls off its end after storing its argument; many slots (disp32). */
const sink = func('sink', [...params(1), slot(0), { op: 'slot.store', slot: 0x13 }, ...address('scratch', 0), push, slot(0x13), pop, { op: 'store', width: 8 }], 1, 0x14);

/** A param after code that clobbers rcx: the back end must still read the incoming rcx. */
const late = func('late', [imm(7n), push, pop, { op: 'param', index: 0, slot: 0 }, slot(0), ret], 1);

/** Calls every function of the callee-saved test: a bit of everything. */
const busy = func('busy', [
  ...args([u64(-0x64n), 7n]), call('sdivide', 2), push, ...args(ARGS(12)), call('f12', 12), pop, { op: 'bin', kind: 'add' },
], 0);
const sdivide = func('sdivide', [...params(2), slot(0), push, slot(1), pop, { op: 'bin', kind: 'srem' }, ret], 2);

/** Hand-written helpers: machine state seen from outside the compiled code. */
const ASM: string[] = [
  'rsp_mod16:', // rsp & 15 at entry: 8 when the caller had rsp 16-aligned at its call
  '        mov %rsp, %rax', '        and $0xf, %eax', '        ret',
  'args_seen:', // the Microsoft places of args 0-5, packed one hex digit each
  '        mov %rcx, %rax', '        shl $0x4, %rdx', '        or %rdx, %rax', '        shl $0x8, %r8', '        or %r8, %rax',
  '        shl $0xc, %r9', '        or %r9, %rax', '        mov 0x28(%rsp), %rcx', '        shl $0x10, %rcx', '        or %rcx, %rax',
  '        mov 0x30(%rsp), %rcx', '        shl $0x14, %rcx', '        or %rcx, %rax', '        ret',
  'scribble:', // a callee may use all of its shadow space
  '        movq $0xffffffffffffffff, 0x8(%rsp)', '        movq $0xffffffffffffffff, 0x10(%rsp)',
  '        movq $0xffffffffffffffff, 0x18(%rsp)', '        movq $0xffffffffffffffff, 0x20(%rsp)', '        ret',
  'call_f6:', // calls f6(1..6) the Microsoft way from assembly
  '        push %rbp', '        mov %rsp, %rbp', '        sub $0x30, %rsp', '        movq $0x5, 0x20(%rsp)', '        movq $0x6, 0x28(%rsp)',
  '        mov $0x1, %ecx', '        mov $0x2, %edx', '        mov $0x3, %r8d', '        mov $0x4, %r9d', '        call f6', '        leave', '        ret',
  'saved_ok:', // 1 if busy() preserves rbx, rbp, rsi, rdi, r12-r15 and rsp
  '        push %rbx', '        push %rbp', '        push %rsi', '        push %rdi', '        push %r12', '        push %r13', '        push %r14', '        push %r15',
  '        mov $0x1001, %ebx', '        mov $0x1002, %ebp', '        mov $0x1003, %esi', '        mov $0x1004, %edi',
  '        mov $0x1005, %r12d', '        mov $0x1006, %r13d', '        mov $0x1007, %r14d', '        mov $0x1008, %r15d',
  '        mov %rsp, %rax', '        push %rax', '        sub $0x20, %rsp', '        call busy', '        add $0x20, %rsp', '        pop %rdx',
  '        xor %eax, %eax', '        cmp %rsp, %rdx', '        jne saved_out', '        cmp $0x1001, %rbx', '        jne saved_out',
  '        cmp $0x1002, %rbp', '        jne saved_out', '        cmp $0x1003, %rsi', '        jne saved_out', '        cmp $0x1004, %rdi', '        jne saved_out',
  '        cmp $0x1005, %r12', '        jne saved_out', '        cmp $0x1006, %r13', '        jne saved_out', '        cmp $0x1007, %r14', '        jne saved_out',
  '        cmp $0x1008, %r15', '        jne saved_out', '        mov $0x1, %eax',
  'saved_out:',
  '        pop %r15', '        pop %r14', '        pop %r13', '        pop %r12', '        pop %rdi', '        pop %rsi', '        pop %rbp', '        pop %rbx', '        ret',
];

const CALLEES: Func[] = [0, 1, 4, 5, 6, 12].map(weighted);

function callChecks(): Checks {
  const c = new Checks();
  for (const n of [0, 1, 4, 5, 6, 12]) {
    for (const extra of [0, 1]) { // an odd value below the arguments needs padding
      const below = extra ? [imm(0x99n), push] : [];
      const after: Op[] = extra ? [{ op: 'drop', count: 1 }] : [];
      c.expect(`f${n} at depth +${extra}`, [...below, ...args(ARGS(n)), call(`f${n}`, n), ...after], weightedSum(ARGS(n)));
      c.expect(`f${n} via call.ptr at depth +${extra}`, [...below, ...args(ARGS(n)), { op: 'addr.func', symbol: `f${n}` }, { op: 'call.ptr', argc: n }, ...after], weightedSum(ARGS(n)));
    }
  }
  for (const argc of [0, 1, 4, 5, 6, 7]) {
    for (const extra of [0, 1, 2, 3]) {
      const ops: Op[] = [...args(Array(extra).fill(0n)), ...args(ARGS(argc)), call('rsp_mod16', argc)];
      if (extra) ops.push({ op: 'drop', count: extra });
      c.expect(`rsp aligned with ${argc} args at depth ${extra}`, ops, 8n);
    }
  }
  // compiled callees get no shadow space below stacked values: only the alignment
  for (const argc of [0, 1, 4]) {
    for (const extra of [1, 2, 3]) {
      const compiled = (symbol: string): Op => ({ op: 'call', symbol, argc, compiled: true });
      const below = [...args([0x11n, 0x22n, 0x33n].slice(0, extra)), ...args(ARGS(argc))];
      c.expect(`rsp aligned for a compiled callee with ${argc} args at depth ${extra}`, [...below, compiled('rsp_mod16'), { op: 'drop', count: extra }], 8n);
      // the deepest value below survives the call: result + 0x11
      const survive: Op[] = [...below, compiled(`f${argc}`), { op: 'drop', count: extra - 1 }, pop, { op: 'bin', kind: 'add' }];
      c.expect(`compiled f${argc} at depth +${extra} keeps the values below`, survive, u64(weightedSum(ARGS(argc)) + 0x11n));
    }
  }
  // A as a middle argument, the others immediates (peephole.ts defers stacked operands to the call), with values below
  for (const [n, at] of [[4, 1], [6, 2], [6, 5], [12, 7]] as const) {
    for (const extra of [0, 1]) {
      const tail = ARGS(n).map((value, a) => (a === at ? { kind: 'acc' as const } : { kind: 'imm' as const, value }));
      const below = extra ? [imm(0x99n), push] : [];
      const after: Op[] = extra ? [{ op: 'drop', count: 1 }] : [];
      c.expect(`f${n} with A as argument ${at} at depth +${extra}`, [...below, imm(ARGS(n)[at]), { op: 'call', symbol: `f${n}`, argc: n, tail }, ...after], weightedSum(ARGS(n)));
    }
  }
  c.expect('args land where Microsoft x64 puts them', [...args(ARGS(6)), call('args_seen', 6)], 0x654321n);
  c.expect('params read where Microsoft x64 puts them', [call('call_f6', 0)], weightedSum(ARGS(6)));
  // scribble fills its shadow space; the two values below the call must survive it
  c.expect('value stack survives a call', [imm(0xaan), push, imm(0xbbn), push, call('scribble', 0), pop, imm(0n), { op: 'bin', kind: 'or' }, pop, { op: 'bin', kind: 'sub' }], u64(0xaan - 0xbbn));
  c.expect('callee-saved registers preserved', [call('saved_ok', 0)], 1n);
  c.expect('recursion 10000 deep', [imm(0x2710n), push, call('sum', 1)], 50_005_000n);
  // 10+…+1 counting down with jnz, then 1+…+100 counting up with jz
  c.expect('loops', [imm(0xan), push, call('loops', 1)], 55n + 5050n);
  c.expect('param after other ops', [imm(0x42n), push, call('late', 1)], 0x42n);
  c.expect('void fall-through', [imm(0x5an), push, call('sink', 1), ...load('scratch', 0, 8, false)], 0x5an);
  return c;
}

/** One check per instruction form the back end emits, small enough for one keystone unit. */
function formChecks(): Checks {
  const c = new Checks();
  for (const kind of BINOPS) c.expect(kind, binary(7n, 2n, { op: 'bin', kind }), reference(kind, 7n, 2n));
  for (const cond of CONDS) c.expect(cond, binary(7n, 2n, { op: 'cmp', cond }), holds(cond, 7n, 2n) ? 1n : 0n);
  for (const v of [0n, 1n, 0xffff_ffffn, M64, 1n << 63n, u64(-0x8000_0000n), 0x8000_0000_0000_0009n, 0x8000_0000_7fff_ffffn, 0x8000_0000_8000_0000n]) {
    c.expect(`imm ${hex(v)}`, [imm(v)], v); // 2^63 | n for n < 2^31: mov and ror
  }
  for (const width of WIDTHS) {
    for (const signed of [false, true]) {
      c.expect(`ext${width}`, [imm(0x80n), { op: 'ext', width, signed }], extend(0x80n, width, signed));
      c.expect(`load${width}`, load('pattern', 0, width, signed), extend(readLE(PATTERN, 0, width), width, signed));
    }
    c.expect(`store${width}`, [...store('scratch', 0, M64, width), { op: 'neg' }, { op: 'not' }], M64 ^ 1n);
  }
  for (const n of [0, 1, 4, 5, 12]) {
    c.expect(`f${n}`, [imm(0n), push, ...args(ARGS(n)), call(`f${n}`, n), { op: 'drop', count: 1 }], weightedSum(ARGS(n)));
    c.expect(`*f${n}`, [...args(ARGS(n)), { op: 'addr.func', symbol: `f${n}` }, { op: 'call.ptr', argc: n }], weightedSum(ARGS(n)));
  }
  c.expect('loops', [imm(0xan), push, call('loops', 1)], 55n + 5050n);
  c.expect('sum', [imm(0xan), push, call('sum', 1)], 55n);
  c.expect('sink', [imm(0x5an), push, call('sink', 1), imm(0n)], 0n);
  return c;
}

/** Every fused form the back end emits (after peepholeProgram): operands of each kind. */
function fusedForms(): Func {
  const operands: Op[] = [imm(5n), imm(0x7fff_ffffn), imm(0x8000_0000n), imm(M64), imm(0x8000_0000_0000_0005n), { op: 'slot.load', slot: 0 }, { op: 'addr.global', symbol: 'scratch' }];
  const body: Op[] = [imm(3n), { op: 'slot.store', slot: 0 }];
  let n = 0;
  const complex = (v: bigint): Op[] => [imm(v), { op: 'neg' }, push]; // stays on the stack or in A
  for (const x of operands) {
    for (const kind of BINOPS) body.push(imm(7n), push, x, pop, { op: 'bin', kind });
    for (const cond of CONDS) body.push(imm(7n), push, x, pop, { op: 'cmp', cond }, { op: 'jz', target: `ff${n}` }, imm(0n), label(`ff${n++}`));
    for (const width of WIDTHS) body.push({ op: 'addr.global', symbol: 'scratch' }, push, x, pop, { op: 'store', width }, imm(0n));
    for (const width of WIDTHS) body.push(...address('scratch', 8), push, x, pop, { op: 'store', width }, imm(0n)); // store.r +8
    for (const width of WIDTHS) { // store.a: a computed value to x (+8)
      body.push(x, push, imm(9n), { op: 'neg' }, pop, { op: 'store', width }, imm(0n));
      body.push(x, push, imm(8n), pop, { op: 'bin', kind: 'add' }, push, imm(9n), { op: 'neg' }, pop, { op: 'store', width }, imm(0n));
    }
    body.push(...complex(1n), x, push, imm(2n), push, x, push, imm(3n), push, call('f5', 5), imm(0n));
    body.push(...[0n, 1n, 2n, 3n, 4n, 5n, 6n].flatMap(complex), ...[7n, 8n, 9n, 0xan, 0xbn].flatMap(() => [x, push]), call('f12', 0xc), imm(0n));
  }
  for (const width of WIDTHS) {
    for (const signed of [false, true]) for (const at of [8, 0x12345]) body.push(...address('pattern', at), { op: 'load', width, signed }); // load +at
  }
  body.push(imm(1n), push, imm(2n), pop, { op: 'cmp', cond: 'ult' }, { op: 'jnz', target: 'ff_end' }, imm(0n), label('ff_end'), ret);
  return func('main', body, 0, 1);
}

// ---- the tests ------------------------------------------------------------------------

/** keystone's bytes and GNU as's for the same lines. */
async function bothAssemblers(lines: string[]): Promise<[Buffer, Buffer]> {
  const unit = toUnit('<compiled>', lines);
  const ks = Buffer.from(await assemble(unit, x86_64.asm, 0n));
  const src = join(dir, `gas${serial++}.s`);
  writeFileSync(src, unit.map((l) => l.text).join('\n') + '\n');
  execFileSync('as', ['--64', '-o', `${src}.o`, src]);
  execFileSync('objcopy', ['-O', 'binary', '-j', '.text', `${src}.o`, `${src}.bin`]);
  return [ks, readFileSync(`${src}.bin`)];
}

describe('x86_64 back end', () => {
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'gp-x86be-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes every BinOp at edge values', async () => {
    expect(await failures(arithmeticChecks())).toEqual([]);
  });

  it('compares, extends, negates and loads immediates at edge values', async () => {
    expect(await failures(compareChecks())).toEqual([]);
  });

  it('loads and stores every width, signed and unsigned', async () => {
    expect(await failures(memoryChecks(), [], DATA)).toEqual([]);
  });

  it('calls with 0 to 12 arguments, aligned, directly and through pointers', async () => {
    const funcs = [...CALLEES, recursive, loops, sink, busy, sdivide, late];
    expect(await failures(callChecks(), funcs, DATA, ASM)).toEqual([]);
  });

  // the same checks after the peephole pass: bin.r/cmp.r with every edge value as an
  // immediate, store.r, jcmp/jcmp.r in every check, calls with tail arguments
  it('runs the BinOp, compare and memory checks after the peephole pass', async () => {
    expect(await failures(arithmeticChecks(), [], [], [], true)).toEqual([]);
    expect(await failures(compareChecks(), [], [], [], true)).toEqual([]);
    expect(await failures(memoryChecks(), [], DATA, [], true)).toEqual([]);
  });

  it('runs the call checks after the peephole pass', async () => {
    const funcs = [...CALLEES, recursive, loops, sink, busy, sdivide, late];
    expect(await failures(callChecks(), funcs, DATA, ASM, true)).toEqual([]);
  });

  it('reports the failing check', async () => {
    const c = new Checks();
    c.expect('right', [imm(1n)], 1n);
    c.expect('wrong on purpose', [imm(1n)], 2n);
    expect(await failures(c)).toEqual(['wrong on purpose']);
  });

  it('prints main\'s result in decimal, signed or unsigned', async () => {
    const cases: [bigint, boolean, string][] = [
      [0n, false, '0'], [M64, false, '18446744073709551615'], [0x3039n, false, '12345'],
      [0n, true, '0'], [M64, true, '-1'], [1n << 63n, true, '-9223372036854775808'],
      [(1n << 63n) - 1n, true, '9223372036854775807'], [u64(-0x3039n), true, '-12345'], [1n << 63n, false, '9223372036854775808'],
    ];
    for (const [value, signed, text] of cases) {
      expect(await run({ funcs: [func('main', [imm(value), ret])], data: [] }, 'main', signed)).toBe(`${text}\n`);
    }
  });

  it('tags every line with its file:line and rejects a value-stack underflow', () => {
    const f = weighted(12);
    const lines = backend.emitFunc(f);
    for (const l of lines) expect(l).toMatch(/\/\/ templates\/fake\.ts:\d+$/);
    const tagged = new Set(lines.map((l) => Number(/:(\d+)$/.exec(l)?.[1])));
    // a stack-passed parameter's slot is where it arrived: no instruction to tag
    for (const i of f.body) if (!(i.op === 'param' && i.index >= 4)) expect(tagged.has(i.line)).toBe(true);
    const underflow: Func = { name: 'bad', file: FILE, params: 0, slots: 0, maxDepth: 0, body: [{ op: 'pop', line: 7, depth: 0 }] };
    expect(() => backend.emitFunc(underflow)).toThrow(/templates\/fake\.ts:7: pop needs 1 stacked values, depth is 0/);
  });

  it('loads sign-extended imm8 values with push/pop, status codes too, alike in keystone and GNU as', async () => {
    const text = (f: Func): string[] => backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
    const load = (value: bigint): string => text(func('k', [imm(value), ret])).slice(1, -1).join('; ');
    expect(load(0x7fn)).toBe('push $0x7f; pop %rax');
    expect(load(-0x80n)).toBe('push $0xffffffffffffff80; pop %rax');
    expect(load(0x80n)).toBe('mov $0x80, %eax');
    expect(load(-0x81n)).toBe('movq $0xffffffffffffff7f, %rax');
    expect(load((1n << 63n) | 2n)).toBe('push $0x5; pop %rax; ror $0x1, %rax'); // an EFI status code
    const fourArgs: Op = { op: 'call', symbol: 'g', argc: 4, tail: [1n, 2n, 3n, 4n].map((value) => ({ kind: 'imm' as const, value })) };
    expect(text(func('c', [fourArgs, ret])).join('; ')).toContain('push $0x1; pop %rcx; push $0x2; pop %rdx; push $0x3; pop %r8; push $0x4; pop %r9; call g');
    const lines = text(func('k', [imm(0x7fn), imm(-0x80n), imm((1n << 63n) | 2n), fourArgs, ret])).slice(1);
    const [ks, gas] = await bothAssemblers([...lines, 'g:', 'ret']);
    expect(ks.equals(gas)).toBe(true);
  });

  it('sets and steps slots in memory (slot.set, slot.add), alike in keystone and GNU as', async () => {
    const text = (f: Func): string[] => backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
    const values = [0n, 5n, -1n, 0x7fff_ffffn, -0x8000_0000n, 0x8000_0000n, 1n << 0x30n];
    const body: Op[] = values.flatMap((value): Op[] => [{ op: 'slot.set', slot: 1, value }, { op: 'slot.add', slot: 1, value }]);
    const lines = text(func('s', [...body, slot(1), ret], 0, 2));
    expect(lines).toEqual(expect.arrayContaining([
      'xor %eax, %eax', 'mov %rax, -0x10(%rbp)', 'addq $0x0, -0x10(%rbp)', 'movq $0x5, -0x10(%rbp)', 'addq $0x5, -0x10(%rbp)',
      'movq $0xffffffffffffffff, -0x10(%rbp)', 'subq $0x1, -0x10(%rbp)', 'addq $0x7fffffff, -0x10(%rbp)', 'mov -0x10(%rbp), %rax',
    ]));
    const [ks, gas] = await bothAssemblers(lines.slice(1));
    expect(ks.equals(gas)).toBe(true);
    const p: Program = { funcs: [func('main', [...body, slot(1), ret], 0, 2)], data: [] };
    // each slot.set is followed by adding the same value: the last one doubles
    expect(await run(p, 'main')).toBe(`${BigInt.asUintN(64, 2n * values[values.length - 1])}\n`);
  });

  it('tests slots in memory (jcmp.s) for every condition, alike in keystone and GNU as', async () => {
    const body: Op[] = [imm(3n), { op: 'slot.store', slot: 0 }];
    let n = 0;
    for (const v of [0n, 5n, 0x7fff_ffffn, 0x8000_0000n]) {
      for (const cond of CONDS) body.push({ op: 'jcmp.s', cond, slot: 0, value: v, target: `js${n}` }, label(`js${n++}`));
    }
    const lines = programLines({ funcs: [func('main', [...body, imm(0n), ret], 0, 1)], data: [] }, 'main', false);
    const text = lines.join('\n');
    expect(text).toMatch(/cmpq\s+\$0x7fffffff, -0x8\(%rbp\)/);
    expect(text).toMatch(/cmp\s+%rcx, %rax/); // 2^31 does not fit: through rax
    const [ks, gas] = await bothAssemblers(lines);
    expect(ks.equals(gas)).toBe(true);
  });

  it('assembles to the same bytes with keystone and GNU as', async () => {
    const plain: Program = { funcs: [formChecks().main(), ...CALLEES, recursive, loops, sink, busy, sdivide], data: DATA };
    const fused = peepholeProgram({ ...plain, funcs: [fusedForms(), ...plain.funcs.slice(1)] });
    for (const [program, signed] of [[plain, false], [plain, true], [fused, false]] as const) {
      const lines = programLines(program, 'main', signed, ASM);
      expect(sourceSize(lines)).toBeLessThan(UNIT_BUDGET);
      const [ks, gas] = await bothAssemblers(lines);
      expect(ks.length).toBeGreaterThan(0x800);
      for (const reg of ['rcx', 'rdx', 'r8', 'r9']) expect(lines.some((l) => new RegExp(`push\\s+%${reg}\\b`).test(l)), reg).toBe(true);
      expect(ks.equals(gas)).toBe(true);
    }

  });
});
