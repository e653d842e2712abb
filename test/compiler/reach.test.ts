// Dead-function and dead-data removal (generator/compiler/reach.ts) and its use for the
// blob: only what the entry module exports or the hand-written assembly names survives,
// with everything those reach through calls, function addresses and data references.
import { describe, it, expect } from 'vitest';
import type { Datum, Func, Instr, Op, Program } from '../../generator/compiler/ir.ts';
import { liveProgram, namedIn, symbolsOf } from '../../generator/compiler/reach.ts';
import { compiledTemplates, frontEnd } from '../../generator/blob/build.ts';
import { arm64 } from '../../generator/targets/arm64.ts';
import { x86_64 } from '../../generator/targets/x86_64.ts';

const at = (op: Op): Instr => ({ ...op, line: 1, depth: 0 } as Instr);
const func = (name: string, ...ops: Op[]): Func => ({ name, file: 'x.ts', params: 0, slots: 0, maxDepth: 0, body: ops.map(at) });
const datum = (symbol: string): Datum => ({ symbol, align: 1, bytes: Uint8Array.of(1), writable: false });

describe('reachability', () => {
  it('finds symbols in every operand form', () => {
    expect(symbolsOf(at({ op: 'call', symbol: 'f', argc: 2, tail: [{ kind: 'func', symbol: 'g' }, { kind: 'acc' }] }))).toEqual(['f', 'g']);
    expect(symbolsOf(at({ op: 'store.a', width: 8, addr: { kind: 'global', symbol: 'd' } }))).toEqual(['d']);
    expect(symbolsOf(at({ op: 'jcmp.r', cond: 'eq', rhs: { kind: 'func', symbol: 'h' }, target: 'L' }))).toEqual(['h']);
    expect(symbolsOf(at({ op: 'load', width: 4, signed: false, symbol: 'e' }))).toEqual(['e']);
    expect(symbolsOf(at({ op: 'jump', target: 'f' }))).toEqual([]); // labels are not symbols
  });

  it('keeps what the roots reach, in the original order, and drops the rest', () => {
    const p: Program = {
      funcs: [
        func('a', { op: 'call', symbol: 'b', argc: 0 }, { op: 'ret' }),
        func('unused', { op: 'call', symbol: 'c', argc: 0 }, { op: 'addr.global', symbol: 'onlyUnused' }, { op: 'ret' }),
        func('b', { op: 'addr.func', symbol: 'c' }, { op: 'ret' }),
        func('c', { op: 'load', width: 8, signed: false, symbol: 'used' }, { op: 'call', symbol: 'c', argc: 0 }, { op: 'ret' }),
        func('fromAsm', { op: 'ret' }),
      ],
      data: [datum('used'), datum('onlyUnused'), datum('named')],
    };
    const live = liveProgram(p, ['a', ...namedIn(p, '        bl fromAsm\n        adr x0, named\n        b a.exit')]);
    expect(live.funcs.map((f) => f.name)).toEqual(['a', 'b', 'c', 'fromAsm']);
    expect(live.data.map((d) => d.symbol)).toEqual(['used', 'named']);
  });

  it.each([arm64, x86_64])('leaves test-only helpers out of the $name blob and keeps the stubs\' callees', async (target) => {
    const text = compiledTemplates(target, await frontEnd()).code.map((l) => l.text).join('\n');
    expect(text).toMatch(/^console__puts:/m);
    expect(text).toMatch(/^firmware__efiMain:/m);
    expect(text).not.toMatch(/^image__imgSetEntryForTest:/m);
    expect(text).not.toMatch(/^handles__hdReset:/m);
  });
});
