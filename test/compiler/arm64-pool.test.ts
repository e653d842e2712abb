// The arm64 program-wide rewrites (backends/arm64-pool.ts: constant pool, literal loads)
// and one-instruction logical immediates in movImm: where each applies, that rewritten
// programs compute the same values under qemu-aarch64, and that keystone and GNU as agree.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arm64Backend, movImm } from '../../generator/compiler/backends/arm64.ts';
import { builtConstant, literalLoads, shareConstants } from '../../generator/compiler/backends/arm64-pool.ts';
import type { Datum } from '../../generator/compiler/ir.ts';
import { toUnit } from '../../generator/compiler/hosted.ts';
import { assemble } from '../../generator/toolchain/assembler.ts';
import { arm64 } from '../../generator/targets/arm64.ts';
import { k } from './ir-builder.ts';
import { fn, print, programLines, runArm64, hex16 } from './ir-programs/arm64-harness.ts';

/** keystone at two bases and GNU as give the same bytes for `lines`. */
async function sameBytes(lines: string[]): Promise<void> {
  const unit = toUnit('<compiled>', lines);
  const [a, b] = await Promise.all([assemble(unit, arm64.asm, 0x40_0000n), assemble(unit, arm64.asm, 0x7654_3210n)]);
  expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'gp-pool-'));
  try {
    writeFileSync(join(dir, 'unit.s'), unit.map((l) => l.text).join('\n') + '\n');
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'unit.o'), join(dir, 'unit.s')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'unit.o'), join(dir, 'unit.bin')]);
    expect(Buffer.from(a).equals(readFileSync(join(dir, 'unit.bin')))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const code = (lines: string[]): string[] => lines.map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
const status = (n: bigint): bigint => (1n << 63n) | n;

describe('arm64 constants', () => {
  it('builds a one-run constant such as 2^63 | 3 with one orr', () => {
    expect(movImm('x0', status(3n))).toEqual(['orr x0, xzr, #0x8000000000000003']);
    expect(movImm('x1', status(1n))).toEqual(['orr x1, xzr, #0x8000000000000001']);
    expect(movImm('x0', status(2n))).toEqual(['movz x0, #0x2', 'movk x0, #0x8000, lsl #0x30']);
    expect(movImm('x0', 0xffn)).toEqual(['movz x0, #0xff']); // one instruction already
  });

  it('reads back the value a movz/movn/movk run builds', () => {
    for (const v of [status(2n), -0x10002n, 0x0123456789abcdefn, 0x4c4f4f504750n]) {
      const lines = movImm('x3', v).map((l) => `        ${l}  // x.ts:1`);
      expect(builtConstant([...lines, 'ret'], 0)).toEqual({ reg: 'x3', value: BigInt.asUintN(64, v), length: lines.length });
    }
    expect(builtConstant(['movz x0, #0x2', 'movk x1, #0x8000, lsl #0x30'], 0)).toBeUndefined(); // another register
    expect(builtConstant(['movz x0, #0x2'], 0)).toBeUndefined(); // one instruction: nothing to share
  });

  it('pools a constant only where the loads and the entry cost less than the moves', () => {
    const twice = [...movImm('x0', status(2n)), 'ret', ...movImm('x1', status(2n))];
    expect(shareConstants(twice)).toEqual(twice); // 8 bytes saved, 8 spent
    const thrice = [...twice, ...movImm('x0', status(2n))];
    expect(code(shareConstants(thrice))).toEqual([
      'ldr x0, pool.k8000000000000002', 'ret', 'ldr x1, pool.k8000000000000002', 'ldr x0, pool.k8000000000000002',
      '.p2align 0x3', 'pool.k8000000000000002:', '.quad 0x8000000000000002',
    ]);
    const wide = movImm('x2', 0x0123456789abcdefn); // four instructions: 12 bytes for 8
    expect(code(shareConstants(wide))).toEqual(['ldr x2, pool.k123456789abcdef', '.p2align 0x3', 'pool.k123456789abcdef:', '.quad 0x123456789abcdef']);
  });

  const values = [status(2n), status(3n), status(0xen), 0x0123456789abcdefn, -0x10002n, status(2n), status(2n), 0x0123456789abcdefn];
  const main = fn('main', 0);
  for (const v of values) main.emit(print(k(v)));
  const lines = shareConstants(programLines({ funcs: [main.ret(k(0n)).finish()], data: [] }, 'main'));

  it('loads pooled constants correctly under qemu-aarch64', async () => {
    expect(lines.join('\n')).toMatch(/ldr\s+x0, pool\.k8000000000000002/);
    const out = await runArm64(lines);
    expect(out.split('\n').slice(0, values.length)).toEqual(values.map(hex16));
  });

  it('assembles the pool to the same bytes as GNU as, at any base', async () => {
    await sameBytes(lines);
  });

  const datum = (symbol: string, align: number, bytes: number[]): Datum => ({ symbol, align, bytes: Uint8Array.from(bytes), writable: false });
  const DATA = [datum('q', 8, [1, 2, 3, 4, 5, 6, 7, 8, 0xf9, 0xfa, 0xfb, 0xfc, 0, 0, 0, 0]), datum('h', 2, [1, 2, 3, 4])];

  it('turns adr; ldr of 4-aligned program data into one literal ldr', () => {
    expect(code(literalLoads(['adr x0, q', 'ldr x0, [x0]', 'adr x1, q', 'ldr w1, [x1, #0x8]', 'adr x0, q', 'ldrsw x0, [x0, #0x8]'], DATA)))
      .toEqual(['ldr x0, q', 'ldr w1, q+0x8', 'ldrsw x0, q+0x8']);
  });

  it('keeps adr where the address lives on, the datum or offset is not word-aligned, or the width has no literal form', () => {
    const keep = [
      ['adr x0, q', 'ldr x1, [x0]'], ['adr x0, h', 'ldr w0, [x0]'], ['adr x0, q', 'ldr w0, [x0, #0x2]'],
      ['adr x0, q', 'ldrb w0, [x0]'], ['adr x0, stub_data', 'ldr x0, [x0]'], ['adr x0, q', 'ldr x0, [x1]'],
    ];
    for (const lines of keep) expect(literalLoads(lines, DATA)).toEqual(lines);
  });

  it('loads literals correctly under qemu-aarch64 as the back end\'s finishCode', async () => {
    const m = fn('main', 0);
    for (const [width, signed, offset] of [[8, false, 0], [8, false, 8], [4, false, 8], [4, true, 8], [4, false, 4]] as const) {
      m.emit(print((g) => { g.op({ op: 'load', width, signed, symbol: 'q', ...(offset ? { offset } : {}) }); }));
    }
    const lines = arm64Backend.finishCode?.(programLines({ funcs: [m.ret(k(0n)).finish()], data: DATA }, 'main'), DATA) ?? [];
    expect(lines.join('\n')).toMatch(/ldrsw\s+x0, q\+0x8/);
    await sameBytes(lines);
    const out = await runArm64(lines);
    expect(out.split('\n').slice(0, 5)).toEqual([0x0807060504030201n, 0xfcfbfaf9n, 0xfcfbfaf9n, 0xfffffffffcfbfaf9n, 0x08070605n].map(hex16));
  });
});
