// The main job: `gen-purgatory --arch A` writes a blob that is reproducible, equal to
// the committed out/, and whose ELF, listing and manifest agree with its bytes.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import elfy from 'elfy';
import { cli, isOneLineError } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { TARGETS } from '../../generator/targets/index.ts';
import { tempDir } from '../support/tmp.ts';

const files = ['manifest.json', 'purgatory.bin', 'purgatory.elf', 'purgatory.lst'];

interface ElfSection { name: string; data: Buffer }
interface ElfFile { machine: string; entry: number; body: { programs: { type: string; filesz: number; memsz: number }[]; sections: ElfSection[] } }

describe.each(TARGETS.map((t) => [t.name, t] as const))('gen-purgatory --arch %s', (arch, target) => {
  const dirs = [0, 1].map(() => tempDir('gp-gen-'));
  const runs = dirs.map((d) => cli(['--arch', arch, '-o', d]));

  it('writes the four files and says so', () => {
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(runs[0].stdout).toMatch(/^wrote .*purgatory\.bin \d+ bytes/);
    expect(readdirSync(dirs[0]).sort()).toEqual(files);
  });

  it('is byte-identical across runs and equal to the committed out/', () => {
    for (const f of files) {
      const a = readFileSync(join(dirs[0], f));
      expect(readFileSync(join(dirs[1], f)).equals(a), f).toBe(true);
      expect(readFileSync(join(ROOT, 'out', arch, f)).equals(a), `out/${arch}/${f} is stale: regenerate it`).toBe(true);
    }
  });

  it('has a header that describes the file', () => {
    const bin = readFileSync(join(dirs[0], 'purgatory.bin'));
    const h = parseBlobHeader(bin, 'purgatory.bin');
    expect(h.machine).toBe(target.peMachine);
    expect(h.fileSize).toBe(bin.length);
    // Memory: the file, then the zero-filled data up to __mem_end, then the stack.
    const symbols = JSON.parse(readFileSync(join(dirs[0], 'manifest.json'), 'utf8')).symbols as Record<string, number>;
    expect(symbols.__mem_end).toBeGreaterThanOrEqual(bin.length);
    expect(h.memSize).toBe(symbols.__mem_end + target.stackSize);
    expect(h.align).toBe(target.blobAlign);
    expect(bin.readBigUInt64LE(h.handoffSlotOffset)).toBe(0n);
    const zeroed = Buffer.from(bin);
    zeroed.fill(0, 0x40, 0x60);
    expect(createHash('sha256').update(zeroed).digest('hex')).toBe(h.buildId);
  });

  it('has an ELF with the same bytes, entry and symbols', () => {
    const bin = readFileSync(join(dirs[0], 'purgatory.bin'));
    const elf = elfy.parse(readFileSync(join(dirs[0], 'purgatory.elf'))) as unknown as ElfFile;
    const manifest = JSON.parse(readFileSync(join(dirs[0], 'manifest.json'), 'utf8'));
    const text = elf.body.sections.find((s) => s.name === '.text');
    expect(text?.data.equals(bin)).toBe(true);
    expect(elf.entry).toBe(manifest.header.entryOffset);
    expect(manifest.symbols._start).toBe(manifest.header.entryOffset);
    expect(manifest.symbols.handoff_slot).toBe(manifest.header.handoffSlotOffset);
    expect(elf.body.programs[0].filesz).toBe(bin.length);
    expect(elf.body.programs[0].memsz).toBe(manifest.header.memSize);
    expect(elf.body.sections.map((s) => s.name)).toContain('.symtab');
  });

  it('has a manifest whose digests match and a listing naming every stub line', () => {
    const manifest = JSON.parse(readFileSync(join(dirs[0], 'manifest.json'), 'utf8'));
    for (const f of files.filter((x) => x !== 'manifest.json')) {
      const digest = createHash('sha256').update(readFileSync(join(dirs[0], f))).digest('hex');
      expect(manifest.files[f].sha256, f).toBe(digest);
    }
    const lst = readFileSync(join(dirs[0], 'purgatory.lst'), 'utf8');
    expect(lst).toContain('<_start>:');
    expect(lst).toMatch(new RegExp(`stubs-asm/${arch}/entry\\.s:\\d+`));
  });

  it('bakes in the --console given', () => {
    const d = tempDir('gp-con-');
    const r = cli(['--arch', arch, '--console', '16550,mmio,0x10000000,shift=2,width=4', '-o', d]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    expect(m.console).toBe('16550,mmio,0x10000000,shift=2,width=4');
    const bin = readFileSync(join(d, 'purgatory.bin'));
    const at = m.symbols.console_default;
    expect(bin.readUInt32LE(at)).toBe(2); // 16550
    expect(bin.readBigUInt64LE(at + 8)).toBe(0x10000000n);
    expect(bin.readUInt32LE(at + 16)).toBe(2);
  });
});

describe('generate: bad invocations', () => {
  it.each([
    [['--arch', 'mips'], /unknown arch 'mips'/],
    [['--console', 'pl011'], /--arch arm64\|x86_64 is required/],
    [['--arch', 'arm64', '--console', 'uart,0x1'], /unknown console kind/],
    [['--arch', 'arm64', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('%j fails with one line', (args, message) => {
    const r = cli(args as string[]);
    expect(r.status).toBe(64);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--help and --version answer', () => {
    expect(cli(['--help']).stdout).toMatch(/usage: gen-purgatory --arch/);
    expect(cli(['--version']).stdout).toMatch(/^gen-purgatory \d+\.\d+\.\d+/);
    for (const c of ['inspect', 'plan', 'qemu']) expect(cli([c, '--help']).stdout, c).toMatch(new RegExp(`usage: gen-purgatory ${c}`));
  });
});
