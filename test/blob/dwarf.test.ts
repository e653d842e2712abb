// The DWARF in purgatory.elf: the encodings against the DWARF 4 specification's own
// examples, the frame rules the data-flow pass derives from typical code, and the whole
// blob's sections as binutils reads them (no complaints, every compiled instruction
// covered by a line row and an FDE that unwinds it).
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from '../../generator/blob/dwarf-encode.ts';
import { solveFrames, type CfaState, type FrameArch, type FrameState } from '../../generator/blob/dwarf-frame.ts';
import { ARM64_FRAMES } from '../../generator/blob/dwarf-frame-arm64.ts';
import { X86_64_FRAMES } from '../../generator/blob/dwarf-frame-x86_64.ts';
import { buildBlob, type BlobArtifacts } from '../../generator/blob/build.ts';
import { parseConsoleSpec } from '../../generator/loader/console.ts';
import { TARGETS } from '../../generator/targets/index.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

const hex = (w: ByteWriter): string => Buffer.from(w.toBytes()).toString('hex');

describe('LEB128 (the examples of DWARF 4, section 7.6)', () => {
  it.each([[2, '02'], [127, '7f'], [128, '8001'], [129, '8101'], [130, '8201'], [12857, 'b964']])('unsigned %d', (v, out) => {
    expect(hex(new ByteWriter().uleb(v))).toBe(out);
  });
  it.each([[2, '02'], [-2, '7e'], [127, 'ff00'], [-127, '817f'], [128, '8001'], [-128, '807f'], [129, '8101'], [-129, 'ff7e']])('signed %d', (v, out) => {
    expect(hex(new ByteWriter().sleb(v))).toBe(out);
  });
});

/** The rule before each instruction of a straight-line function at offset 0. */
function rules(arch: FrameArch, code: [string, number][]): FrameState[] {
  let at = 0;
  const insns = code.map(([text, size]) => ({ offset: (at += size) - size, size, text }));
  const state = solveFrames(insns, arch, [0], []);
  return insns.map((i) => state.get(i.offset) ?? 'unknown');
}

const rule = (s: FrameState): string => s === 'unknown' ? 'unknown' : `r${s.reg}+${s.offset} ${[...(s as CfaState).saved].sort((a, b) => a[0] - b[0]).map(([r, o]) => `r${r}@${o}`).join(' ')}`.trim();

describe('frame rules from the code', () => {
  it('arm64: a frame record, value-stack pushes and the shared exit', () => {
    const r = rules(ARM64_FRAMES, [
      ['stp x29, x30, [sp, #-0x30]!', 4], ['str x0, [sp, #-0x10]!', 4], ['bl #0x100', 4],
      ['ldr x1, [sp], #0x10', 4], ['ldp x29, x30, [sp], #0x30', 4], ['ret', 4],
    ]).map(rule);
    expect(r).toEqual(['r31+0', 'r31+48 r29@-48 r30@-40', 'r31+64 r29@-48 r30@-40', 'r31+64 r29@-48 r30@-40', 'r31+48 r29@-48 r30@-40', 'r31+0']);
  });
  it('arm64: a call before x30 is saved, or sp set from a register, loses the return address', () => {
    expect(rules(ARM64_FRAMES, [['bl #0x100', 4], ['ret', 4]]).map(rule)).toEqual(['r31+0', 'unknown']);
    expect(rules(ARM64_FRAMES, [['mov sp, x0', 4], ['ret', 4]]).map(rule)).toEqual(['r31+0', 'unknown']);
  });
  it('arm64: a stub that keeps x30 in a scratch register around its call', () => {
    const r = rules(ARM64_FRAMES, [['mov x9, x30', 4], ['bl #0x100', 4], ['mov x30, x9', 4], ['ret', 4]]);
    expect(r.map(rule)).toEqual(['r31+0', 'r31+0', 'r31+0', 'r31+0']);
    expect(r.map((s) => (s === 'unknown' ? 'unknown' : s.held?.get(30)))).toEqual([undefined, 9, 9, 9]);
    expect(rules(ARM64_FRAMES, [['mov x9, x30', 4], ['mov x9, #0', 4], ['ret', 4]]).map(rule)[2]).toBe('unknown');
  });
  it('x86_64: push rbp, mov rbp, rsp, pushes under the frame, leave', () => {
    const r = rules(X86_64_FRAMES, [
      ['push rbp', 1], ['mov rbp, rsp', 3], ['push rcx', 1], ['sub rsp, 0x18', 4], ['push rax', 1], ['call 0x100', 5],
      ['pop rcx', 1], ['leave', 1], ['ret', 1],
    ]).map(rule);
    const framed = 'r6+16 r6@-16 r16@-8';
    expect(r).toEqual(['r7+8 r16@-8', 'r7+16 r6@-16 r16@-8', framed, framed, framed, framed, framed, framed, 'r7+8 r16@-8']);
  });
  it('x86_64: rsp loaded from elsewhere is not followed', () => {
    expect(rules(X86_64_FRAMES, [['mov rsp, rax', 3], ['ret', 1]]).map(rule)).toEqual(['r7+8 r16@-8', 'unknown']);
  });
  it('a branch target reached with two different rules is unknown', () => {
    const r = rules(X86_64_FRAMES, [['je 0x3', 2], ['push rax', 1], ['ret', 1]]);
    expect(rule(r[2])).toBe('unknown');
  });
});

const hasTool = (name: string): boolean => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;

const readelf = (file: string, what: string): string =>
  execFileSync('readelf', ['--wide', `--debug-dump=${what}`, file], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s purgatory.elf', (_name, target) => {
  const dir = tempDir('gen-purgatory-dwarf-');
  const file = join(dir, 'purgatory.elf');
  let blob: BlobArtifacts;
  beforeAll(async () => {
    blob = await buildBlob(target, parseConsoleSpec(target.defaultConsole), target.defaultConsole);
    writeFileSync(file, blob.elf);
  }, 120_000);

  it('binutils reads .debug_info, .debug_line and .debug_frame without complaint', () => {
    const r = execFileSync('readelf', ['--debug-dump=info,line,frames', file], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r).not.toMatch(/warning|error|corrupt/i);
    const info = readelf(file, 'info');
    expect(info).toMatch(/DW_AT_name\s*: \(string\) stubs-asm\/[a-z0-9_]+\/entry\.s/);
    expect(info).toMatch(/DW_AT_name\s*: \(string\) peloader__checkPe/);
    expect(info).toMatch(/DW_AT_comp_dir\s*: \(string\) \.$/m);
  });

  // LLVM's verifier checks more than readelf (DIE ranges inside their unit, line tables);
  // scripts/setup-tests.sh does not install it, so the check runs where it is present
  it.skipIf(!hasTool('llvm-dwarfdump'))('llvm-dwarfdump --verify finds no errors', () => {
    const r = spawnSync('llvm-dwarfdump', ['--verify', file], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No errors\./);
  });

  it('every compiled instruction has its templates/ line and an FDE that recovers the return address', () => {
    const lines = readelf(file, 'decodedline');
    const rows = new Map<number, string>();
    for (const m of lines.matchAll(/^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)/gm)) rows.set(Number(m[3]), `${m[1]}:${m[2]}`);
    const pe = [...rows.entries()].filter(([, w]) => w.startsWith('templates/peloader.ts:'));
    expect(pe.length).toBeGreaterThan(50);
    const frames = readelf(file, 'frames-interp');
    const fdes = [...frames.matchAll(/FDE cie=\S+ pc=([0-9a-f]+)\.\.([0-9a-f]+)\n\s+LOC[^\n]*\n((?:[0-9a-f]{16} [^\n]*\n)*)/g)];
    const checkPe = fdes.find((f) => Number(`0x${f[1]}`) <= pe[0][0] && pe[0][0] < Number(`0x${f[2]}`));
    expect(checkPe, 'an FDE covers templates/peloader.ts').toBeDefined();
    // the return-address column is the last one readelf prints; "u" would mean undefined
    const templatesFdes = fdes.filter((f) => rows.get(Number(`0x${f[1]}`))?.startsWith('templates/'));
    expect(templatesFdes.length).toBeGreaterThan(100);
    for (const f of templatesFdes) expect(f[3], `FDE at 0x${f[1]}`).not.toMatch(/ u\s*$/m);
  });

  it('maps every instruction of the listing to the listing\'s source line', () => {
    const table = [...readelf(file, 'decodedline').matchAll(/^(\S+)\s+(\d+)\s+(0x[0-9a-f]+)\b/gm)]
      .map((m) => ({ at: Number(m[3]), where: `${m[1]}:${m[2]}` })).sort((a, b) => a.at - b.at);
    // instruction rows: data rows show their directive (`.quad …`) where the instruction goes
    const listed = [...blob.listing.matchAll(/^([0-9a-f]{8}) {2}(?:[0-9a-f]{2} )*[0-9a-f]{2} {2,}(\S.*?) ((?:templates|stubs-asm)\/\S+:\d+)(?: {2}\/\/.*)?$/gm)]
      .filter((m) => !m[2].startsWith('.')).map((m) => ({ at: Number(`0x${m[1]}`), where: m[3] }));
    let i = 0;
    let checked = 0;
    for (const l of listed) {
      while (i + 1 < table.length && table[i + 1].at <= l.at) i++;
      expect(table[i].where, `0x${l.at.toString(16)}`).toBe(l.where);
      checked++;
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('is the same bytes on another build, with no host path in it', async () => {
    const again = await buildBlob(target, parseConsoleSpec(target.defaultConsole), target.defaultConsole);
    expect(Buffer.from(again.elf).equals(Buffer.from(blob.elf))).toBe(true);
    expect(Buffer.from(blob.elf).includes(ROOT)).toBe(false);
    // the loadable bytes are the blob's, unchanged
    expect(Buffer.from(blob.elf.subarray(0x1000, 0x1000 + blob.bin.length)).equals(Buffer.from(blob.bin))).toBe(true);
  }, 120_000);
});
