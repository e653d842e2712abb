// Shared epilogues (backends/arm64-exit.ts): where later functions branch to the first
// copy of an epilogue, where they keep their own, and that such programs still run.
import { describe, it, expect } from 'vitest';
import { shareEpilogues } from '../../generator/compiler/backends/arm64-exit.ts';
import { k, slot } from './ir-builder.ts';
import { fn, print, programLines, runArm64, hex16 } from './ir-programs/arm64-harness.ts';

const code = (lines: string[]): string[] => lines.map((l) => l.split('//')[0].trim().replace(/\s+/g, ' '));
const exit = (name: string, size: number): string[] => [`${name}.exit:`, `ldp x29, x30, [sp], #0x${size.toString(16)}`, 'ret'];

describe('arm64 shared epilogues', () => {
  it('sends later exits of the same frame size to the first copy', () => {
    const lines = [
      'f:', 'stp x29, x30, [sp, #-0x20]!', 'cbz x0, f.exit', 'mov x0, #0x1', ...exit('f', 0x20),
      'g:', 'stp x29, x30, [sp, #-0x20]!', 'cbz x0, g.exit', 'b g.exit', 'mov x0, #0x2', ...exit('g', 0x20),
      'h:', 'stp x29, x30, [sp, #-0x20]!', 'b h.exit', ...exit('h', 0x20),
    ];
    expect(code(shareEpilogues(lines))).toEqual([
      'f:', 'stp x29, x30, [sp, #-0x20]!', 'cbz x0, f.exit', 'mov x0, #0x1', ...exit('f', 0x20),
      'g:', 'stp x29, x30, [sp, #-0x20]!', 'cbz x0, f.exit', 'b f.exit', 'mov x0, #0x2', 'b f.exit', // falls in: one b
      'h:', 'stp x29, x30, [sp, #-0x20]!', 'b f.exit', // nothing falls in: the copy goes
    ]);
  });

  it('keeps epilogues of other sizes, a lone copy, and exits a label precedes', () => {
    const lines = ['f:', 'mov x0, #0x1', ...exit('f', 0x20), 'g:', 'mov x0, #0x1', ...exit('g', 0x30)];
    expect(shareEpilogues(lines)).toEqual(lines);
    const big = ['f:', ...exit('f', 0x10).slice(0, 2), 'add sp, sp, #0x200', 'ret', 'g:', ...exit('g', 0x10), 'h:', 'b L', 'L:', ...exit('h', 0x10)];
    // f's epilogue differs from g's, so g keeps its own; a label before h's exit may be branched to
    expect(code(shareEpilogues(big))).toEqual([...code(big.slice(0, 9)), 'h:', 'b L', 'L:', 'b g.exit']);
  });

  it('runs programs whose functions share an epilogue under qemu-aarch64', async () => {
    const twice = fn('twice', 1);
    const add3 = fn('add3', 1);
    const main = fn('main', 0, 1);
    main.emit(print((g) => g.call('twice', [k(0x21n)])));
    main.emit(print((g) => g.call('add3', [k(0x21n)])));
    const lines = programLines({
      funcs: [twice.ret((g) => g.bin('add', slot(0), slot(0))).finish(), add3.ret((g) => g.bin('add', slot(0), k(3n))).finish(), main.ret(k(0n)).finish()],
      data: [],
    }, 'main');
    const shared = shareEpilogues(lines);
    expect(shared.length).toBeLessThan(lines.length);
    const out = await runArm64(shared);
    expect(out.split('\n').slice(0, 2)).toEqual([0x42n, 0x24n].map(hex16));
  });
});
