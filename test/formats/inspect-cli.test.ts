// `gen-purgatory inspect` as a user runs it: a subprocess, its stdout, stderr and exit code.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianKernel, systemdStub, ROOT, ZBOOT_FIXTURE } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { COFF, PE_OFFSET, craftPe, relocBlock } from './craft.ts';

const BIN = join(ROOT, 'bin', 'gen-purgatory.js');
const tmp = mkdtempSync(join(tmpdir(), 'inspect-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run { status: number | null; stdout: string; stderr: string }
const run = (...args: string[]): Run => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
/** Like run(), but concurrent: the malformed-file cases start all their processes at once. */
const runAsync = (...args: string[]): Promise<Run> => new Promise((resolve) => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});
/** A value inside parsed JSON by dotted path. */
const at = (json: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], json);
const write = (name: string, data: Uint8Array): string => {
  const path = join(tmp, name);
  writeFileSync(path, data);
  return path;
};

describe('inspect CLI', () => {
  it('prints an aligned report of the arm64 Image', () => {
    const r = run('inspect', debianKernel('arm64'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^format\s+arm64-image$/m);
    expect(r.stdout).toMatch(/^arch\s+arm64$/m);
    expect(r.stdout).toMatch(/^ {2}machine\s+0xaa64 \(arm64\)$/m);
    expect(r.stdout).toMatch(/^ {2}name\s+rva\s+vsize\s+raw offset\s+raw size\s+flags$/m);
    expect(r.stdout).toMatch(/^ {2}\.text\s+0x10000\s+0x1440000\s+0x10000\s+0x1440000\s+0x60000020 r-x code$/m);
    expect(r.stdout).toMatch(/^arm64 Image header$/m);
    expect(r.stdout).toMatch(/^ {2}flags\s+0xa \(little-endian, page size 4K, base anywhere\)$/m);
  });

  it('prints JSON for the bzImage with 64-bit values as hex strings', () => {
    const r = run('inspect', '--json', debianKernel('x86_64'));
    expect(r.status).toBe(0);
    const j: unknown = JSON.parse(r.stdout);
    expect(at(j, 'format')).toBe('x86-bzimage');
    expect(at(j, 'arch')).toBe('x86_64');
    expect(at(j, 'pe.imageBase')).toBe('0x0');
    expect(at(j, 'bzimage.prefAddress')).toBe('0x1000000');
    expect(at(j, 'bzimage.version')).toBeGreaterThanOrEqual(0x20f);
    expect(Object.keys(j as object).slice(0, 4)).toEqual(['file', 'size', 'format', 'arch']);
  });

  it('shows UKI text sections as text and what .linux is', () => {
    const uki = buildUki({
      stub: systemdStub('arm64'), kernel: ZBOOT_FIXTURE, cmdline: 'console=ttyAMA0 quiet',
      osrel: 'ID=debian\nVERSION_ID="12"\n',
    });
    const file = write('uki.efi', uki);
    const r = run('inspect', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^format\s+uki$/m);
    expect(r.stdout).toMatch(/^ {2}\.cmdline\s+"console=ttyAMA0 quiet"$/m);
    expect(r.stdout).toMatch(/^ {2}\.osrel\s+ID=debian\n\s+VERSION_ID="12"$/m);
    expect(r.stdout).toMatch(/^ {2}\.linux\s+arm64-zboot \(arm64\), 0x189200 bytes at 0x[0-9a-f]+$/m);
    expect(r.stdout).toMatch(/^ {4}compression\s+gzip$/m);
    const j: unknown = JSON.parse(run('inspect', file, '--json').stdout);
    expect(at(j, 'uki.cmdline')).toBe('console=ttyAMA0 quiet');
    expect(at(j, 'uki.linux.format')).toBe('arm64-zboot');
    expect(at(j, 'uki.linux.zboot.compression')).toBe('gzip');
  });

  const badFiles = (): [string, Uint8Array, RegExp][] => {
    const good = craftPe().data;
    const badSig = good.slice();
    badSig[PE_OFFSET] = 0x4e;
    const manySections = good.slice();
    new DataView(manySections.buffer).setUint16(COFF + 2, 200, true);
    const badReloc = craftPe({ reloc: relocBlock(0x1000, [0x7000, 0]) }).data;
    const kernel = new Uint8Array(readFileSync(debianKernel('x86_64')));
    return [
      ['truncated.efi', kernel.subarray(0, 0x100), /truncated\.efi: offset 0xf8: section table: 4 section headers/],
      ['badsig.efi', badSig, /badsig\.efi: offset 0x40: PE signature: not "PE\\0\\0"/],
      ['sections.efi', manySections, /sections\.efi: offset 0x46: NumberOfSections: 200 is more than the PE limit of 96/],
      ['reloc.efi', badReloc, /reloc\.efi: offset 0x608: base relocation entry: unknown relocation type 7/],
    ];
  };
  for (const json of [false, true]) {
    it(`malformed files${json ? ' with --json' : ''}: exit 2, one line on stderr, nothing on stdout`, async () => {
      const cases = badFiles();
      const runs = await Promise.all(cases.map(([name, data]) => runAsync('inspect', ...(json ? ['--json'] : []), write(`${json}-${name}`, data))));
      for (const [i, [, , message]] of cases.entries()) {
        const r = runs[i];
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')).toHaveLength(2); // one line plus its newline
        expect(r.stderr).toMatch(/^gen-purgatory: /);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toContain('    at ');
      }
    });
  }

  it('unreadable files and usage errors', () => {
    const missing = run('inspect', join(tmp, 'nope.efi'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`gen-purgatory: image ${join(tmp, 'nope.efi')}: cannot read: no such file\n`);
    expect(missing.stdout).toBe('');
    const dir = run('inspect', tmp);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(/cannot read: is a directory\n$/);
    const usage = run('inspect');
    expect(usage.status).toBe(64);
    expect(usage.stderr).toMatch(/expected exactly one FILE/);
    const help = run('inspect', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: gen-purgatory inspect FILE \[--json\]/);
  });
});
