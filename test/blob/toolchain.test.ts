// The assembler path: keystone's bytes for every stub equal GNU as's, errors name the
// stub line, and an absolute address anywhere fails the build.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGETS } from '../../generator/targets/index.ts';
import { blobUnit, zeroFilled, type UnitLine } from '../../generator/blob/source.ts';
import { assembleUnit, buildBlob, compiledTemplates, frontEnd } from '../../generator/blob/build.ts';
import { consoleEquates } from '../../generator/loader/layout.ts';
import { parseConsoleSpec } from '../../generator/loader/console.ts';
import { disassemble } from '../../generator/toolchain/disassembler.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

/** GNU as for each target, from Debian's binutils and binutils-aarch64-linux-gnu. */
const GNU: Record<string, { as: string[]; objcopy: string }> = {
  arm64: { as: ['aarch64-linux-gnu-as'], objcopy: 'aarch64-linux-gnu-objcopy' },
  x86_64: { as: ['as', '--64'], objcopy: 'objcopy' },
};

function gnuAssemble(arch: string, unit: UnitLine[]): Buffer {
  const dir = tempDir('gp-gas-');
  const src = join(dir, 'unit.s');
  writeFileSync(src, unit.map((l) => l.text).join('\n') + '\n');
  const [as, ...flags] = GNU[arch].as;
  execFileSync(as, [...flags, '-o', join(dir, 'unit.o'), src]);
  execFileSync(GNU[arch].objcopy, ['-O', 'binary', '-j', '.text', join(dir, 'unit.o'), join(dir, 'unit.bin')]);
  return readFileSync(join(dir, 'unit.bin'));
}

/** templates/main.ts through the front end (from the sources, never a saved copy). */
const front = await frontEnd();

const line = (file: string, n: number, text: string): UnitLine => ({ file, line: n, text, comment: '' });

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s stubs', (arch, target) => {
  const unit = blobUnit(target, consoleEquates(parseConsoleSpec(target.defaultConsole)), compiledTemplates(target, front));

  it('assemble to the same bytes with keystone and GNU as', async () => {
    const { bin } = await assembleUnit(unit, target);
    expect(Buffer.from(bin).equals(gnuAssemble(arch, unit))).toBe(true);
  });

  it('disassemble back through capstone instruction by instruction', async () => {
    const { bin, lay } = await assembleUnit(unit, target);
    const insns = lay.placed.filter((p) => p.insn);
    expect(insns.length).toBeGreaterThan(50);
    for (const p of insns) {
      const [i] = await disassemble(bin, target.disasm, 0n, p.offset, 1);
      expect(i.size, `${p.line.file}:${p.line.line}`).toBe(p.size);
    }
  });

  it('reject an absolute address with the stub line that holds it', async () => {
    const bad = [...unit, line('stubs-asm/test.s', 7, '        .quad   _start')];
    await expect(assembleUnit(bad, target)).rejects.toThrow(/stubs-asm\/test\.s:7: absolute address at blob offset 0x[0-9a-f]+/);
  });

  it('report an assembly error as file:line', async () => {
    const bad = [...unit.slice(0, -2), line('stubs-asm/test.s', 3, '        frobnicate'), ...unit.slice(-2)];
    await expect(assembleUnit(bad, target)).rejects.toThrow(/^stubs-asm\/test\.s:3: .*frobnicate/);
  });
});

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s compiled TypeScript in the blob', (_arch, target) => {
  it('uses no floating-point or SIMD register, and every instruction names its TypeScript line', async () => {
    const unit = blobUnit(target, consoleEquates(parseConsoleSpec(target.defaultConsole)), compiledTemplates(target, front));
    const { lay } = await assembleUnit(unit, target);
    const compiled = lay.placed.filter((p) => p.insn && p.line.file.startsWith('templates/'));
    expect(compiled.length).toBeGreaterThan(100);
    for (const p of compiled) {
      expect(p.insn, `${p.line.file}:${p.line.line}`).not.toMatch(/\b([xy]mm\d+|[vqdsbh]\d+|st\(\d\))\b/);
      expect(p.line.line).toBeGreaterThan(0);
    }
  });
});

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s zero-filled data', (_arch, target) => {
  it('takes memory after the file image but no bytes in the blob', async () => {
    const dir = tempDir('gp-bss-');
    const file = join(dir, 'main.ts');
    writeFileSync(file, `export { banner } from '${ROOT}/templates/banner.ts';
export { efiMain } from '${ROOT}/templates/firmware.ts';
import '${ROOT}/templates/wayin/dtb.ts';
import '${ROOT}/templates/wayin/bootparams.ts';
import { u64 } from '${ROOT}/templates/rt/types.ts';
import { zeroed, store64 } from '${ROOT}/templates/rt/intrinsics.ts';
const BIG = zeroed(0x10000n, 0x1000n);
export function touch(v: u64): void { store64(BIG + 0xfff8n, v); }
`);
    const plain = await buildBlob(target, parseConsoleSpec(target.defaultConsole), 'default');
    const big = await buildBlob(target, parseConsoleSpec(target.defaultConsole), 'default', file);
    expect(big.bin.length).toBeLessThan(plain.bin.length + 0x1000); // the 64 KiB are not in the file
    expect(big.header.memSize - big.header.fileSize).toBeGreaterThanOrEqual(0x10000 + target.stackSize);
    expect(big.header.fileSize).toBe(big.bin.length);
  });

  it('holds the stubs\' bss.s (the arm64 vector table among it) and refuses anything but space', () => {
    const unit = blobUnit(target, consoleEquates(parseConsoleSpec(target.defaultConsole)), compiledTemplates(target, front));
    const end = unit.findIndex((l) => l.text.trim() === '__file_end:');
    expect(unit.findIndex((l) => l.file === `stubs-asm/${target.name}/bss.s`)).toBeGreaterThan(end);
    const ok = [line('bss.s', 1, 'x:'), line('bss.s', 2, '        .skip   0x20  // why'), line('bss.s', 3, '        .p2align 0x4, 0x0')];
    expect(zeroFilled(ok)).toEqual(ok);
    expect(() => zeroFilled([...ok, line('bss.s', 4, '        .quad   1')])).toThrow(/^bss\.s:4: zero-filled data takes only labels, \.skip and \.p2align: \.quad   1$/);
  });
});
