// Test harness for the AArch64 back end: a few hand-written AAPCS64 helpers (hex
// printing and ABI probes), and a runner that links a program into a Linux user-mode
// ELF and runs it under qemu-aarch64. The IR itself is built with ../ir-builder.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Func, Program } from '../../../generator/compiler/ir.ts';
import { arm64Backend } from '../../../generator/compiler/backends/arm64.ts';
import { hostedExecutable } from '../../../generator/compiler/hosted.ts';
import { arm64 } from '../../../generator/targets/arm64.ts';
import { Fn, k, slot, type Gen } from '../ir-builder.ts';

/** The pseudo source file every test function claims to come from. */
export const SOURCE = 'test/compiler/ir-programs/arm64-source.ts';

/** A builder for a function of SOURCE (see Fn in ir-builder.ts for the arguments). */
export const fn = (name: string, params: number, slots = params, paramSlots?: number[]): Fn =>
  new Fn(name, SOURCE, { params, slots, paramSlots });

/** Prints A (after `gen`) as 16 hex digits through the support routine t__print. */
export const print = (gen: Gen): Gen => (f) => { f.call('t__print', [gen]); };

/** The hash the ABI probes compute: acc = acc * 0x1f + arg, over the arguments in order. */
export function argHash(args: bigint[]): bigint {
  return args.reduce((acc, a) => BigInt.asUintN(64, acc * 0x1fn + a), 0n);
}

/** A compiled function computing argHash over its `n` parameters. */
export function hashFn(name: string, n: number): Func {
  const f = fn(name, n);
  const acc = f.local();
  f.imm(0n).set(acc);
  for (let p = 0; p < n; p++) {
    f.bin('add', (g) => g.bin('mul', slot(acc), k(0x1fn)), slot(p)).set(acc);
  }
  return f.ret(slot(acc)).finish();
}

/** Arguments the hand-written ABI caller passes: 1…12, with x7 = -1 and the last = 2^63. */
export const ABI_ARGS: bigint[] = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 2n ** 64n - 1n, 9n, 0xan, 0xbn, 2n ** 63n];
/** What the ABI probes return on a violation. */
export const ABI_BAD = 0xbadn;

const madd = (reg: string): string => `        madd    x9, x9, x10, ${reg}`;
const calleeSaved = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28];

/**
 * Hand-written AAPCS64 routines the test programs call:
 *   t__print(x)          writes x as 16 hex digits and "\n" to stdout
 *   t__abi_callee12(…)   argHash of 12 arguments read where AAPCS64 puts them, or
 *                        ABI_BAD if SP is not 16-aligned on entry
 *   t__abi_caller(fp)    calls fp(ABI_ARGS…) as AAPCS64 says, and returns its result,
 *                        or ABI_BAD if it changed x19–x28, x29 or SP
 */
export const SUPPORT_ASM: string[] = [
  't__print:',
  '        sub     sp, sp, #0x20',
  '        mov     x9, #0x10',
  '        mov     w10, #0xa',
  '        strb    w10, [sp, #0x10]',
  't__print.digit:',
  '        and     x11, x0, #0xf',
  '        add     x12, x11, #0x30',
  '        add     x13, x11, #0x57',
  '        cmp     x11, #0xa',
  '        csel    x12, x13, x12, hs',
  '        sub     x9, x9, #0x1',
  '        strb    w12, [sp, x9]',
  '        lsr     x0, x0, #0x4',
  '        cbnz    x9, t__print.digit',
  '        mov     x0, #0x1',
  '        mov     x1, sp',
  '        mov     x2, #0x11',
  '        mov     x8, #0x40',
  '        svc     #0x0',
  '        add     sp, sp, #0x20',
  '        ret',
  't__abi_callee12:',
  '        mov     x9, #0x0',
  '        mov     x10, #0x1f',
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((r) => madd(`x${r}`)),
  ...[0, 8, 0x10, 0x18].flatMap((o) => [`        ldr     x11, [sp, #0x${o.toString(16)}]`, madd('x11')]),
  '        mov     x0, x9',
  '        mov     x11, sp',
  '        tst     x11, #0xf',
  '        b.eq    t__abi_callee12.ok',
  '        mov     x0, #0xbad',
  't__abi_callee12.ok:',
  '        ret',
  't__abi_caller:',
  '        stp     x29, x30, [sp, #-0x60]!',
  '        mov     x29, sp',
  ...[0, 2, 4, 6, 8].map((r) => `        stp     x${calleeSaved[r]}, x${calleeSaved[r + 1]}, [sp, #0x${(0x10 + 8 * r).toString(16)}]`),
  '        mov     x17, x0',
  ...calleeSaved.map((r) => `        mov     x${r}, #0x${(r * 0x11).toString(16)}`),
  '        sub     sp, sp, #0x20',
  ...ABI_ARGS.slice(8).flatMap((a, i) => [...movLines('x9', a), `        str     x9, [sp, #0x${(8 * i).toString(16)}]`]),
  ...ABI_ARGS.slice(0, 8).flatMap((a, i) => movLines(`x${i}`, a)),
  '        blr     x17',
  '        add     sp, sp, #0x20',
  '        mov     x9, sp',
  '        cmp     x9, x29',
  '        b.ne    t__abi_caller.bad',
  ...calleeSaved.flatMap((r) => [`        cmp     x${r}, #0x${(r * 0x11).toString(16)}`, '        b.ne    t__abi_caller.bad']),
  '        b       t__abi_caller.done',
  't__abi_caller.bad:',
  '        mov     x0, #0xbad',
  't__abi_caller.done:',
  ...[0, 2, 4, 6, 8].map((r) => `        ldp     x${calleeSaved[r]}, x${calleeSaved[r + 1]}, [sp, #0x${(0x10 + 8 * r).toString(16)}]`),
  '        ldp     x29, x30, [sp], #0x60',
  '        ret',
];

/** movz/movk lines for the support code (independent of the back end's own movImm). */
function movLines(reg: string, v: bigint): string[] {
  const out = [`        movz    ${reg}, #0x${(v & 0xffffn).toString(16)}`];
  for (let s = 1; s < 4; s++) {
    const c = (v >> BigInt(0x10 * s)) & 0xffffn;
    if (c) out.push(`        movk    ${reg}, #0x${c.toString(16)}, lsl #0x${(0x10 * s).toString(16)}`);
  }
  return out;
}

/** The whole hosted program: start-up, compiled functions, support code, data. */
export function programLines(p: Program, main: string, signed = false): string[] {
  return [
    ...arm64Backend.hostedStart(main, signed),
    ...p.funcs.flatMap((f) => arm64Backend.emitFunc(f)),
    ...SUPPORT_ASM,
    ...arm64Backend.emitData(p.data),
  ];
}

const execFileP = promisify(execFile);

/** Links the lines into an ELF, runs it under qemu-aarch64 and returns its stdout. */
export async function runArm64(lines: string[]): Promise<string> {
  const elf = await hostedExecutable(arm64, lines);
  const dir = mkdtempSync(join(tmpdir(), 'gp-arm64-'));
  try {
    const path = join(dir, 'prog');
    writeFileSync(path, elf, { mode: 0o755 });
    const { stdout } = await execFileP('qemu-aarch64', [path], { maxBuffer: 0x4000000, timeout: 120_000 });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A value as t__print writes it. */
export const hex16 = (v: bigint): string => BigInt.asUintN(64, v).toString(16).padStart(0x10, '0');
