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
/** if (slot s cond value) goto target. */
const jslot = (s: number, cond: string, value: bigint, target: string): Op => ({ op: 'jcmp.s', cond, slot: s, value, target } as Op);

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
    const list = [slot(0), push, slot(1), { op: 'neg' } as Op, pop, bin('sub'), ret];
    expect(body(list)).toEqual(list);
  });

  it('folds nested operations from the inside out', () => {
    // (s0 - (s1 << 3)): the inner shift fuses, the outer sub keeps its stacked left side
    expect(body([slot(0), push, slot(1), push, imm(3n), pop, bin('shl'), pop, bin('sub'), ret])).toEqual([
      slot(0), push, slot(1), { op: 'bin.r', kind: 'shl', rhs: { kind: 'imm', value: 3n } }, pop, bin('sub'), ret,
    ]);
    // (s0 + (s1 << 3)): the add commutes, so its left side is read last, as an operand
    expect(body([slot(0), push, slot(1), push, imm(3n), pop, bin('shl'), pop, bin('add'), ret])).toEqual([
      slot(1), { op: 'bin.r', kind: 'shl', rhs: { kind: 'imm', value: 3n } }, { op: 'bin.r', kind: 'add', rhs: { kind: 'slot', slot: 0 } }, ret,
    ]);
  });
});

describe('peephole: reordered operands', () => {
  const rSlot = (n: number) => ({ kind: 'slot' as const, slot: n });
  const mulBy3: Op[] = [slot(1), push, imm(3n), pop, { op: 'bin', kind: 'mul' }]; // s1 * 3: computed, no stack left

  it('computes the right side first when the left is an operand and the op commutes', () => {
    expect(body([slot(0), push, ...mulBy3, pop, bin('add'), ret])).toEqual([
      slot(1), { op: 'bin.r', kind: 'mul', rhs: { kind: 'imm', value: 3n } }, { op: 'bin.r', kind: 'add', rhs: rSlot(0) }, ret,
    ]);
    expect(body([slot(0), push, ...mulBy3, pop, cmp('ult'), ret])).toEqual([
      slot(1), { op: 'bin.r', kind: 'mul', rhs: { kind: 'imm', value: 3n } }, { op: 'cmp.r', cond: 'ugt', rhs: rSlot(0) }, ret,
    ]);
    // a call on the right: nothing stays stacked across it
    expect(body([global('g'), push, slot(1), push, call('h', 1), pop, bin('add'), ret])).toEqual([
      { op: 'call', symbol: 'h', argc: 1, tail: [rSlot(1)] }, { op: 'bin.r', kind: 'add', rhs: { kind: 'global', symbol: 'g' } }, ret,
    ]);
  });

  it('keeps the order for sub, for a right side that stores the slot or branches', () => {
    const sub = [slot(0), push, ...mulBy3, pop, bin('sub'), ret];
    expect(body(sub)[1]).toEqual(push);
    const stores = [slot(0), push, imm(1n), store(0), { op: 'neg' } as Op, pop, bin('add'), ret];
    expect(body(stores)[1]).toEqual(push);
    const branches = [slot(0), push, slot(1), jz('L'), imm(2n), label('L'), pop, bin('add'), ret];
    expect(body(branches)[1]).toEqual(push);
  });
});

describe('peephole: stores to an operand address', () => {
  const computed: Op[] = [slot(1), { op: 'neg' }];
  const st = (width: 1 | 8): Op => ({ op: 'store', width });

  it('computes the value first and stores it to a slot or symbol address, plus a constant', () => {
    expect(body([global('g'), push, ...computed, pop, st(8), ret])).toEqual([
      ...computed, { op: 'store.a', width: 8, addr: { kind: 'global', symbol: 'g' } }, ret,
    ]);
    expect(body([slot(0), push, imm(0x10n), pop, bin('add'), push, ...computed, pop, st(1), ret])).toEqual([
      ...computed, { op: 'store.a', width: 1, addr: { kind: 'slot', slot: 0 }, offset: 0x10 }, ret,
    ]);
  });

  it('keeps the stack for a computed address or a value that stores the address slot', () => {
    const scaled = [slot(0), push, imm(8n), pop, { op: 'bin', kind: 'mul' } as Op, push, ...computed, pop, st(8), ret];
    expect(body(scaled)).toContainEqual(push); // slot 0 * 8 (a shift now) is no operand
    const clobbers = [slot(0), push, imm(1n), store(0), { op: 'neg' } as Op, pop, st(8), ret];
    expect(body(clobbers)).toContainEqual(push);
  });
});

describe('peephole: branches', () => {
  it('fuses cmp.r with jz (negated) and jnz when A is dead on both paths', () => {
    const neg: Op = { op: 'neg' };
    expect(body([slot(0), neg, push, imm(2n), pop, cmp('ult'), jz('L'), imm(1n), ret, label('L'), imm(0n), ret])).toEqual([
      slot(0), neg, { op: 'jcmp.r', cond: 'uge', rhs: { kind: 'imm', value: 2n }, target: 'L' }, imm(1n), ret, label('L'), imm(0n), ret,
    ]);
    expect(body([slot(0), { op: 'neg' }, push, slot(1), { op: 'not' }, pop, cmp('sge'), jnz('L'), imm(1n), ret, label('L'), imm(0n), ret])).toEqual([
      slot(0), { op: 'neg' }, push, slot(1), { op: 'not' }, pop, { op: 'jcmp', cond: 'sge', target: 'L' }, imm(1n), ret, label('L'), imm(0n), ret,
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
    expect(out[1]).toEqual(jslot(0, 'ne', 2n, 'end')); // and the slot is tested in place
  });
});

describe('peephole: slot tests', () => {
  const tail = [imm(1n), ret, label('L'), imm(0n), ret];
  it('tests a slot in place for jz, jnz and a compare with a small immediate', () => {
    expect(body([slot(1), jz('L'), ...tail])).toEqual([jslot(1, 'eq', 0n, 'L'), ...tail]);
    expect(body([slot(1), jnz('L'), ...tail])).toEqual([jslot(1, 'ne', 0n, 'L'), ...tail]);
    expect(body([slot(0), push, imm(0x7fff_ffffn), pop, cmp('ult'), jnz('L'), ...tail])).toEqual([jslot(0, 'ult', 0x7fff_ffffn, 'L'), ...tail]);
  });

  it('keeps the load where A is read afterwards or the immediate is large or negative', () => {
    const live = [slot(1), jz('L'), ret, label('L'), imm(0n), ret]; // A returned on the fall-through path
    expect(body(live)).toEqual(live);
    const liveAtLabel = [slot(1), jnz('L'), imm(0n), ret, label('L'), ret];
    expect(body(liveAtLabel)).toEqual(liveAtLabel);
    for (const v of [0x8000_0000n, -1n]) {
      expect(body([slot(0), push, imm(v), pop, cmp('eq'), jnz('L'), ...tail])[0]).toEqual(slot(0));
    }
  });
});

describe('peephole: stores, calls, dead code', () => {
  it('folds a stored operand when the next op overwrites A, else stores to the address operand', () => {
    expect(body([global('g'), push, imm(5n), pop, { op: 'store', width: 4 }, imm(0n), ret])).toEqual([
      global('g'), { op: 'store.r', width: 4, rhs: { kind: 'imm', value: 5n } }, imm(0n), ret,
    ]);
    // the stored value is returned: A must keep it, so the address becomes the operand
    expect(body([global('g'), push, imm(5n), pop, { op: 'store', width: 4 }, ret])).toEqual([
      imm(5n), { op: 'store.a', width: 4, addr: { kind: 'global', symbol: 'g' } }, ret,
    ]);
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

  it('keeps a call\'s compiled mark when it takes tail arguments', () => {
    expect(body([imm(1n), push, { op: 'call', symbol: 'g', argc: 1, compiled: true }, ret])).toEqual([
      { op: 'call', symbol: 'g', argc: 1, tail: [{ kind: 'imm', value: 1n }], compiled: true }, ret,
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
    expect(body([slot(0), jz('L'), imm(1n), ret, imm(0n), ret, label('L'), jump('M'), imm(2n), label('M'), imm(3n), ret])).toEqual([
      jslot(0, 'eq', 0n, 'L'), imm(1n), ret, label('L'), imm(3n), ret, // M: no longer named by any branch
    ]);
  });

  it('recomputes depths so every op sees the value stack the front end built', () => {
    const f = peephole(func('f', 't.ts', [
      slot(0), { op: 'neg' }, push, imm(1n), push, slot(1), push, imm(2n), pop, bin('add'), push, call('g', 3),
      push, imm(4n), pop, bin('sub'), ret,
    ], 0, 2));
    expect(depthsConsistent(f)).toBe(true);
    expect(f.maxDepth).toBe(1); // the first argument; the second is read at the call, the third stays in A
    expect(f.body.map((i) => i.line)).toEqual([1, 2, 3, 6, 0xa, 0xc, 0x10, 0x11]);
  });
});

const load8 = (offset?: number): Op => ({ op: 'load', width: 8, signed: false, ...(offset === undefined ? {} : { offset }) });
const rImm = (value: bigint) => ({ kind: 'imm' as const, value });

describe('peephole: address offsets', () => {
  it('folds an added constant into a load', () => {
    expect(body([slot(0), push, imm(0x10n), pop, bin('add'), load8(), ret])).toEqual([slot(0), load8(0x10), ret]);
  });

  it('folds it into a store.r whose A is dead, and into the store.a where A is returned', () => {
    const st = (extra: Op[]): Op[] => [slot(0), push, imm(8n), pop, bin('add'), push, imm(5n), pop, { op: 'store', width: 4 }, ...extra];
    expect(body(st([imm(0n), ret]))).toEqual([slot(0), { op: 'store.r', width: 4, rhs: rImm(5n), offset: 8 }, imm(0n), ret]);
    expect(body(st([ret]))).toEqual([imm(5n), { op: 'store.a', width: 4, addr: { kind: 'slot', slot: 0 }, offset: 8 }, ret]);
  });

  it('loads from a data symbol directly, with its offset', () => {
    expect(body([global('g'), push, imm(0x18n), pop, bin('add'), load8(), ret])).toEqual([{ ...load8(0x18), symbol: 'g' }, ret]);
    expect(body([global('g'), load8(), ret])).toEqual([{ ...load8(), symbol: 'g' }, ret]);
    // an addition whose result addr.global overwrites stays out of the symbol's load
    expect(body([slot(0), push, imm(5n), pop, bin('add'), global('g'), load8(), ret])).toEqual([
      slot(0), { op: 'bin.r', kind: 'add', rhs: rImm(5n) }, { ...load8(), symbol: 'g' }, ret,
    ]);
  });

  it('leaves negative, huge and subtracted constants to bin.r', () => {
    for (const [k, v] of [['add', -8n], ['add', 0x8000_0000n], ['sub', 8n]] as const) {
      expect(body([slot(0), push, imm(v), pop, bin(k), load8(), ret])).toEqual([slot(0), { op: 'bin.r', kind: k, rhs: rImm(v) }, load8(), ret]);
    }
  });
});

describe('peephole: powers of two', () => {
  const br = (kind: string, value: bigint): Op => ({ op: 'bin.r', kind, rhs: rImm(value) } as Op);
  const by = (kind: 'mul' | 'udiv' | 'urem' | 'sdiv', v: bigint): Op[] => body([slot(0), push, imm(v), pop, { op: 'bin', kind }, ret]);

  it('turns unsigned ×, ÷ and % by 2^k into shifts and a mask', () => {
    expect(by('mul', 0x20n)).toEqual([slot(0), br('shl', 5n), ret]);
    expect(by('udiv', 1n << 63n)).toEqual([slot(0), br('lshr', 63n), ret]);
    expect(by('urem', 0x1000n)).toEqual([slot(0), br('and', 0xfffn), ret]);
    expect(by('urem', 1n)).toEqual([slot(0), br('and', 0n), ret]);
  });

  it('leaves other constants and signed division alone', () => {
    expect(by('mul', 0x18n)).toEqual([slot(0), br('mul', 0x18n), ret]);
    expect(by('sdiv', 4n)).toEqual([slot(0), br('sdiv', 4n), ret]);
    expect(by('udiv', 0n)).toEqual([slot(0), br('udiv', 0n), ret]);
  });
});

describe('peephole: jump threading', () => {
  const cmpTo = (s: number, v: bigint, c: 'eq' | 'ult'): Op[] => [slot(s), push, imm(v), pop, cmp(c)];

  it('sends the first test of a && chain straight to the else branch', () => {
    // if (s0 == 2 && s1 < 3) return 1; return 0;
    expect(body([...cmpTo(0, 2n, 'eq'), jz('and'), ...cmpTo(1, 3n, 'ult'), label('and'), jz('else'), imm(1n), ret, label('else'), imm(0n), ret])).toEqual([
      jslot(0, 'ne', 2n, 'else'), jslot(1, 'uge', 3n, 'else'), imm(1n), ret, label('else'), imm(0n), ret,
    ]);
  });

  it('sends the first test of a || chain past the test that would not be taken', () => {
    expect(body([...cmpTo(0, 2n, 'eq'), jnz('or'), ...cmpTo(1, 3n, 'ult'), label('or'), jz('else'), imm(1n), ret, label('else'), imm(0n), ret])).toEqual([
      jslot(0, 'eq', 2n, 'or.past'), jslot(1, 'uge', 3n, 'else'), label('or.past'), imm(1n), ret, label('else'), imm(0n), ret,
    ]);
  });

  it('follows jumps, through a jz to a jnz (never taken there) and no further than real code', () => {
    expect(body([slot(0), jz('A'), slot(1), store(0), label('A'), jump('B'), label('B2'), imm(2n), ret, label('B'), jnz('B2'), imm(0n), ret])).toEqual([
      jslot(0, 'eq', 0n, 'B.past'), slot(1), store(0), jump('B'), label('B2'), imm(2n), ret, label('B'), jnz('B2'), label('B.past'), imm(0n), ret,
    ]);
    const plain: Op[] = [slot(0), jz('A'), slot(1), store(0), label('A'), imm(2n), ret];
    expect(body(plain)).toEqual([jslot(0, 'eq', 0n, 'A'), ...plain.slice(2)]); // A is not threaded
  });
});

describe('peephole: shared returns', () => {
  it('turns a repeated `X; ret` into a branch to the first copy', () => {
    expect(body([slot(0), jz('L'), imm(5n), ret, label('L'), slot(1), jz('M'), imm(5n), ret, label('M'), imm(0n), ret])).toEqual([
      jslot(0, 'eq', 0n, 'L'), label('f.ret0'), imm(5n), ret, label('L'), jslot(1, 'ne', 0n, 'f.ret0'), imm(0n), ret,
    ]);
    expect(body([slot(0), jz('L'), imm(5n), ret, label('L'), slot(1), store(0), imm(5n), ret])).toEqual([
      jslot(0, 'eq', 0n, 'L'), label('f.ret0'), imm(5n), ret, label('L'), slot(1), store(0), jump('f.ret0'),
    ]);
  });

  it('keeps returns with values stacked and returns of other values', () => {
    const list: Op[] = [slot(0), jz('L'), imm(5n), ret, label('L'), imm(1n), push, slot(1), jz('M'), imm(5n), ret, label('M'), { op: 'drop', count: 1 }, imm(6n), ret];
    const out = body(list);
    expect(out.filter((o) => o.op === 'ret')).toHaveLength(3);
  });
});

describe('peephole: branches after the sweep', () => {
  const jr = (cond: string, value: bigint, target: string): Op => ({ op: 'jcmp.r', cond, rhs: rImm(value), target } as Op);
  const neg: Op = { op: 'neg' };

  it('drops a jump into the run of labels after it, and inverts a branch over a jump', () => {
    // if (…) { s1 = -s1 } else {} : the jump crosses two labels; the fused test jumps over a jump
    expect(body([slot(0), jz('else'), slot(1), neg, store(1), jump('end'), label('else'), label('end'), slot(1), ret])).toEqual([
      jslot(0, 'eq', 0n, 'else'), slot(1), neg, store(1), label('else'), slot(1), ret, // `end` is no longer named
    ]);
    expect(body([slot(0), neg, push, imm(2n), pop, cmp('ult'), jnz('yes'), jump('no'), label('yes'), imm(1n), ret, label('no'), imm(0n), ret])).toEqual([
      slot(0), neg, jr('uge', 2n, 'no'), imm(1n), ret, label('no'), imm(0n), ret,
    ]);
  });

  it('threads a fused branch to a label followed by a jump', () => {
    expect(body([slot(0), neg, push, imm(2n), pop, cmp('eq'), jz('mid'), slot(1), neg, ret, label('mid'), jump('out'), label('back'), slot(1), ret, label('out'), slot(0), neg, store(1), jump('back')])).toEqual([
      slot(0), neg, jr('ne', 2n, 'out'), slot(1), neg, ret, label('back'), slot(1), ret, label('out'), slot(0), neg, store(1), jump('back'),
    ]);
  });

  it('keeps a jump over code, whether a branch or code precedes it', () => {
    const over = [slot(0), neg, push, imm(2n), pop, cmp('eq'), jnz('yes'), jump('no'), label('mid'), imm(5n), store(1), label('yes'), slot(1), ret, label('no'), slot(0), jz('mid'), imm(0n), ret];
    expect(body(over)).toContainEqual(jump('no'));
    const further = [slot(0), jz('a'), slot(1), neg, store(1), jump('b'), label('a'), slot(1), store(0), label('b'), slot(0), ret];
    expect(body(further)).toContainEqual(jump('b'));
  });
});

describe('peephole: slot updates', () => {
  const set = (s: number, value: bigint): Op => ({ op: 'slot.set', slot: s, value });
  const add = (s: number, value: bigint): Op => ({ op: 'slot.add', slot: s, value });
  const step = (k: 'add' | 'sub', s = 0, to = s): Op[] => [slot(s), push, imm(1n), pop, bin(k), store(to)];

  it('sets a slot to a constant and steps it in place where A is dead afterwards', () => {
    expect(body([imm(0n), store(1), slot(0), ret])).toEqual([set(1, 0n), slot(0), ret]);
    expect(body([label('top'), ...step('add'), jump('top')])).toEqual([label('top'), add(0, 1n), jump('top')]);
    expect(body([...step('sub'), call('g', 0), ret])).toEqual([add(0, -1n), call('g', 0), ret]); // the call ignores A
  });

  it('keeps A where it is read afterwards, the slot is reloaded, or another slot is stored', () => {
    expect(body([imm(0n), store(1), ret])).toEqual([imm(0n), store(1), ret]);
    expect(body([imm(0n), store(1), slot(1), { op: 'neg' }, ret])).toEqual([imm(0n), store(1), { op: 'neg' }, ret]);
    expect(body([...step('add'), ret])).toEqual([slot(0), { op: 'bin.r', kind: 'add', rhs: rImm(1n) }, store(0), ret]);
    expect(body([...step('add', 0, 1), imm(0n), ret])).toEqual([slot(0), { op: 'bin.r', kind: 'add', rhs: rImm(1n) }, store(1), imm(0n), ret]);
    // the call takes A as its argument
    expect(body([imm(5n), store(1), push, call('g', 1), ret])[0]).toEqual(imm(5n));
  });
});

describe('peephole: deferred call arguments', () => {
  const r = (kind: 'slot' | 'imm', v: number) => (kind === 'slot' ? { kind, slot: v } : { kind, value: BigInt(v) });
  const computed: Op[] = [slot(1), push, imm(3n), pop, { op: 'bin', kind: 'mul' }]; // s1 * 3

  it('reads operand arguments below the computed one at the call', () => {
    expect(body([slot(0), push, imm(7n), push, ...computed, push, call('g', 3), ret])).toEqual([
      slot(1), { op: 'bin.r', kind: 'mul', rhs: rImm(3n) }, { op: 'call', symbol: 'g', argc: 3, tail: [r('slot', 0), r('imm', 7), { kind: 'acc' }] }, ret,
    ]);
  });

  it('keeps them stacked below a computed argument, one that stores the slot, or branches', () => {
    const below = body([slot(0), { op: 'neg' }, push, imm(7n), push, ...computed, push, call('g', 3), ret]);
    expect(below.slice(0, 3)).toEqual([slot(0), { op: 'neg' }, push]); // arg 0 is computed: stays; arg 1 is deferred
    const stores: Op[] = [slot(0), push, slot(1), store(0), { op: 'neg' }, push, call('g', 2), ret];
    expect(body(stores)).toContainEqual(push);
    const branches: Op[] = [slot(0), push, slot(1), jz('L'), imm(2n), label('L'), push, call('g', 2), ret];
    expect(body(branches)).toContainEqual(push);
  });
});
