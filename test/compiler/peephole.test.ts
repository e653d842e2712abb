// The IR peephole pass (generator/compiler/peephole.ts), op by op: each rule fires where
// it is safe, stays away where A is still needed, and leaves depths consistent. The
// rewritten code's behaviour is checked end to end by the back-end suites (`+pp`, fused
// checks) and the differential programs, which are all compiled through the pass.
import { describe, it, expect } from 'vitest';
import { stackEffect, type Func, type Op } from '../../generator/compiler/ir.ts';
import { peephole } from '../../generator/compiler/peephole.ts';
import { func, ops } from './ir-builder.ts';

const { imm, push, pop, ret, label, call, slot } = ops;
const jz = (target: string): Op => ({ op: 'jz', target });
const jnz = (target: string): Op => ({ op: 'jnz', target });
const jump = (target: string): Op => ({ op: 'jump', target });
const bin = (kind: 'add' | 'sub' | 'shl'): Op => ({ op: 'bin', kind });
const cmp = (cond: 'eq' | 'ult' | 'sge'): Op => ({ op: 'cmp', cond });
const store = (slotNo: number): Op => ({ op: 'slot.store', slot: slotNo });
const global = (symbol: string): Op => ({ op: 'addr.global', symbol });

/** The optimised body as plain ops (no line or depth). */
function body(list: Op[], slots = 2): Op[] {
  return peephole(func('f', 't.ts', list, 0, slots)).body.map(({ line, depth, ...op }) => (void line, void depth, op as Op));
}

/** Every depth equals the running sum of stack effects, as the front end would give. */
function depthsConsistent(f: Func): boolean {
  let d = 0;
  return f.body.every((i) => {
    const ok = i.depth === d;
    d += stackEffect(i);
    return ok && d >= 0;
  }) && d === 0;
}

describe('peephole: binary operands', () => {
  it('folds push; imm; pop; bin into bin.r with an immediate', () => {
    expect(body([slot(0), push, imm(8n), pop, bin('add'), ret])).toEqual([
      slot(0), { op: 'bin.r', kind: 'add', rhs: { kind: 'imm', value: 8n } }, ret,
    ]);
  });

  it('folds slot and address operands, and comparisons into cmp.r', () => {
    expect(body([slot(0), push, slot(1), pop, bin('sub'), push, global('g'), pop, cmp('ult'), ret])).toEqual([
      slot(0), { op: 'bin.r', kind: 'sub', rhs: { kind: 'slot', slot: 1 } },
      { op: 'cmp.r', cond: 'ult', rhs: { kind: 'global', symbol: 'g' } }, ret,
    ]);
  });

  it('keeps the stack when the right operand is computed', () => {
    const list = [slot(0), push, slot(1), { op: 'neg' } as Op, pop, bin('add'), ret];
    expect(body(list)).toEqual(list);
  });

  it('folds nested operations from the inside out', () => {
    // (s0 + (s1 << 3)): the inner shift fuses, the outer add keeps its stacked left side
    expect(body([slot(0), push, slot(1), push, imm(3n), pop, bin('shl'), pop, bin('add'), ret])).toEqual([
      slot(0), push, slot(1), { op: 'bin.r', kind: 'shl', rhs: { kind: 'imm', value: 3n } }, pop, bin('add'), ret,
    ]);
  });
});

describe('peephole: branches', () => {
  it('fuses cmp.r with jz (negated) and jnz when A is dead on both paths', () => {
    expect(body([slot(0), push, imm(2n), pop, cmp('ult'), jz('L'), imm(1n), ret, label('L'), imm(0n), ret])).toEqual([
      slot(0), { op: 'jcmp.r', cond: 'uge', rhs: { kind: 'imm', value: 2n }, target: 'L' }, imm(1n), ret, label('L'), imm(0n), ret,
    ]);
    expect(body([slot(0), push, slot(1), { op: 'not' }, pop, cmp('sge'), jnz('L'), imm(1n), ret, label('L'), imm(0n), ret])).toEqual([
      slot(0), push, slot(1), { op: 'not' }, pop, { op: 'jcmp', cond: 'sge', target: 'L' }, imm(1n), ret, label('L'), imm(0n), ret,
    ]);
  });

  it('keeps the 0/1 value where a short-circuit result flows to the label', () => {
    // a && b as a value: A (0 or 1) is read after L by ret
    const list = [slot(0), push, imm(2n), pop, cmp('eq'), jz('L'), slot(1), label('L'), ret];
    expect(body(list)).toEqual([
      slot(0), { op: 'cmp.r', cond: 'eq', rhs: { kind: 'imm', value: 2n } }, jz('L'), slot(1), label('L'), ret,
    ]);
  });

  it('follows jumps to decide that A is dead', () => {
    const out = body([label('top'), slot(0), push, imm(2n), pop, cmp('eq'), jz('end'), imm(1n), store(0), jump('top'), label('end'), jump('exit'), label('exit'), imm(0n), ret]);
    expect(out[2]).toEqual({ op: 'jcmp.r', cond: 'ne', rhs: { kind: 'imm', value: 2n }, target: 'end' });
  });
});

describe('peephole: stores, calls, dead code', () => {
  it('folds a stored operand only when the next op overwrites A', () => {
    expect(body([global('g'), push, imm(5n), pop, { op: 'store', width: 4 }, imm(0n), ret])).toEqual([
      global('g'), { op: 'store.r', width: 4, rhs: { kind: 'imm', value: 5n } }, imm(0n), ret,
    ]);
    const kept = [global('g'), push, imm(5n), pop, { op: 'store', width: 4 } as Op, ret]; // the stored value is returned
    expect(body(kept)).toEqual(kept);
  });

  it('passes trailing simple arguments directly, and a computed last one in A', () => {
    expect(body([slot(0), push, imm(7n), push, call('g', 2), ret])).toEqual([
      { op: 'call', symbol: 'g', argc: 2, tail: [{ kind: 'slot', slot: 0 }, { kind: 'imm', value: 7n }] }, ret,
    ]);
    expect(body([slot(0), { op: 'neg' }, push, slot(1), { op: 'not' }, push, global('d'), push, call('g', 3), ret])).toEqual([
      slot(0), { op: 'neg' }, push, slot(1), { op: 'not' },
      { op: 'call', symbol: 'g', argc: 3, tail: [{ kind: 'acc' }, { kind: 'global', symbol: 'd' }] }, ret,
    ]);
  });

  it('leaves call.ptr and zero-argument calls alone', () => {
    const list: Op[] = [imm(1n), push, { op: 'addr.func', symbol: 'h' }, { op: 'call.ptr', argc: 1 }, call('z', 0), ret];
    expect(body(list)).toEqual(list);
  });

  it('drops a reload of the slot just stored', () => {
    expect(body([imm(3n), store(1), slot(1), ret])).toEqual([imm(3n), store(1), ret]);
  });

  it('removes code after ret or jump up to the next label, and jumps to the next op', () => {
    expect(body([imm(1n), ret, imm(0n), ret, label('L'), jump('M'), imm(2n), label('M'), imm(3n), ret])).toEqual([
      imm(1n), ret, label('L'), label('M'), imm(3n), ret,
    ]);
  });

  it('recomputes depths so every op sees the value stack the front end built', () => {
    const f = peephole(func('f', 't.ts', [
      slot(0), { op: 'neg' }, push, imm(1n), push, slot(1), push, imm(2n), pop, bin('add'), push, call('g', 3),
      push, imm(4n), pop, bin('sub'), ret,
    ], 0, 2));
    expect(depthsConsistent(f)).toBe(true);
    expect(f.maxDepth).toBe(2); // the two stacked arguments; the third stays in A
    expect(f.body.map((i) => i.line)).toEqual([1, 2, 3, 4, 5, 6, 0xa, 0xc, 0x10, 0x11]);
  });
});
