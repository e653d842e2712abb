// The x86_64 back end's instruction forms, read as text: frames, parameter pushes, calls
// around stacked values, branches on a compare's flags. What they compute is checked by
// running them in backend-x86_64.test.ts.
import { describe, it, expect } from 'vitest';
import { x86_64Backend as backend } from '../../generator/compiler/backends/x86_64.ts';
import type { Func, Op } from '../../generator/compiler/ir.ts';
import { func as funcOf, ops } from './ir-builder.ts';

const { imm, push, pop, ret, label, args, params, slot } = ops;
const func = (name: string, body: Op[], nParams = 0, slots = nParams): Func => funcOf(name, 'templates/fake.ts', body, nParams, slots);
/** The function's lines without comments, spaces normalised. */
const text = (f: Func): string[] => backend.emitFunc(f).map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));

describe('x86_64 back end forms', () => {
  it('gives a leaf without slots no frame, and calls with nothing stacked below no stack adjustment', () => {
    expect(text(func('leaf', [imm(0x101n), ret]))).toEqual(['leaf:', 'mov $0x101, %eax', 'ret']);
    const tail = [0x103n, 0x104n, 0x105n].map((value) => ({ kind: 'imm' as const, value }));
    const caller = func('caller', [imm(0x101n), push, imm(0x102n), push, { op: 'call', symbol: 'f', argc: 5, tail }, ret]);
    expect(text(caller)).toEqual([
      'caller:', 'push %rbp', 'mov %rsp, %rbp', 'sub $0x30, %rsp', 'mov $0x101, %eax', 'push %rax', 'mov $0x102, %eax', 'push %rax',
      'pop %rdx', 'pop %rcx', 'mov $0x103, %r8d', 'mov $0x104, %r9d', 'mov $0x105, %r10d', 'mov %r10, -0x10(%rbp)', 'call f', 'leave', 'ret',
    ]);
  });

  it('calls a compiled callee below stacked values without shadow space, padding with push/pop', () => {
    const at = (depth: number, compiled: boolean): string => text(func('c', [...args(Array(depth).fill(1n)), { op: 'call', symbol: 'g', argc: 1, compiled, tail: [{ kind: 'imm', value: 0x107n }] }, { op: 'drop', count: depth }, ret])).join('; ');
    expect(at(1, true)).toContain('push %rax; mov $0x107, %ecx; push %rax; call g; pop %rcx; add $0x8, %rsp');
    expect(at(2, true)).toContain('push %rax; mov $0x107, %ecx; call g; add $0x10, %rsp');
    expect(at(2, false)).toContain('push %rax; mov $0x107, %ecx; sub $0x20, %rsp; call g; add $0x20, %rsp; add $0x10, %rsp');
  });

  it('pushes register parameters bound to slots 0, 1, … in order; stores the others; reads stack ones in place', () => {
    const three = { op: 'slot.load', slot: 2 } as const;
    expect(text(func('three', [...params(3), three, ret], 3))).toEqual([
      'three:', 'push %rbp', 'mov %rsp, %rbp', 'push %rcx', 'push %rdx', 'push %r8', 'sub $0x8, %rsp', 'mov -0x18(%rbp), %rax', 'leave', 'ret',
    ]);
    const two = func('two', [...params(2), ret], 2); // no sub: the pushes fill the slot area
    expect(text(two)).toEqual(['two:', 'push %rbp', 'mov %rsp, %rbp', 'push %rcx', 'push %rdx', 'leave', 'ret']);
    const swapped: Op[] = [{ op: 'param', index: 0, slot: 1 }, { op: 'param', index: 1, slot: 0 }, ret]; // slot order decides
    expect(text(func('swapped', swapped, 2))).toEqual(['swapped:', 'push %rbp', 'mov %rsp, %rbp', 'push %rdx', 'push %rcx', 'leave', 'ret']);
    const gap: Op[] = [{ op: 'param', index: 0, slot: 1 }, ret]; // slot 0 is a local: nothing to push
    expect(text(func('gap', gap, 1, 2))).toEqual(['gap:', 'push %rbp', 'mov %rsp, %rbp', 'sub $0x10, %rsp', 'mov %rcx, -0x10(%rbp)', 'leave', 'ret']);
    // the fifth arrives on the stack and its slot stays there: no copy, read in place
    const five = func('five', [...params(5), slot(4), push, slot(5), pop, { op: 'bin', kind: 'add' }, ret], 5, 6);
    expect(text(five).slice(1)).toEqual([
      'push %rbp', 'mov %rsp, %rbp', 'push %rcx', 'push %rdx', 'push %r8', 'push %r9', 'sub $0x10, %rsp',
      'mov 0x30(%rbp), %rax', 'push %rax', 'mov -0x30(%rbp), %rax', 'pop %rcx', 'add %rcx, %rax', 'leave', 'ret',
    ]);
  });

  it('branches on a compare\'s flags after setcc instead of testing the 0/1 value, only right after the compare', () => {
    const cmpJz = func('f', [slot(0), push, imm(2n), pop, { op: 'cmp', cond: 'ult' }, { op: 'jz', target: 'L' }, imm(5n), label('L'), ret], 1, 1);
    expect(text(cmpJz)).toContain('jae L');
    expect(text(cmpJz)).not.toContain('test %rax, %rax');
    const cmpR = func('g', [slot(0), { op: 'cmp.r', cond: 'eq', rhs: { kind: 'imm', value: 3n } }, { op: 'jnz', target: 'L' }, imm(5n), label('L'), ret], 1, 1);
    expect(text(cmpR).slice(-8, -5)).toEqual(['sete %al', 'movzbl %al, %eax', 'je L']);
    // a label between (other paths reach the branch) or another op before it: the value is tested
    const between = func('h', [slot(0), { op: 'cmp.r', cond: 'eq', rhs: { kind: 'imm', value: 3n } }, label('M'), { op: 'jz', target: 'L' }, imm(5n), label('L'), ret], 1, 1);
    expect(text(between)).toContain('test %rax, %rax');
    const negated = func('k', [slot(0), { op: 'not' }, { op: 'jz', target: 'L' }, imm(5n), label('L'), ret], 1, 1);
    expect(text(negated)).toContain('test %rax, %rax');
  });
});
