// `gen-purgatory audit --diff OLD NEW` on real output directories: what a console change,
// code that only moved, and an added function look like; and clear errors for
// directories that are not generated outputs.
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, isOneLineError } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';
import { buildBlob, type BlobArtifacts } from '../../generator/blob/build.ts';
import { parseConsoleSpec } from '../../generator/loader/console.ts';
import { arm64 } from '../../generator/targets/arm64.ts';
import { auditBlob } from '../../generator/audit/report.ts';
import { diffReports, type AuditDiff } from '../../generator/audit/diff.ts';

const work = tempDir('gp-audit-diff-');
const dir = (name: string): string => join(work, name);

function writeOut(name: string, a: BlobArtifacts): string {
  cpSync(dir('base'), dir(name), { recursive: true }); // then overwrite all four
  for (const [f, data] of Object.entries({ 'purgatory.bin': a.bin, 'purgatory.elf': a.elf, 'purgatory.lst': a.listing, 'manifest.json': a.manifest })) {
    writeFileSync(join(dir(name), f), data);
  }
  return dir(name);
}

const base = cli(['--arch', 'arm64', '-o', dir('base')]);
const otherConsole = cli(['--arch', 'arm64', '--console', '16550,mmio,0x9000000,shift=2', '-o', dir('console')]);
const x86 = cli(['--arch', 'x86_64', '-o', dir('x86')]);

function diffJson(a: string, b: string): AuditDiff {
  const r = cli(['audit', '--diff', a, b, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AuditDiff;
}

describe('audit --diff', () => {
  it('shows no change of code for another built-in console', () => {
    for (const r of [base, otherConsole, x86]) expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir('base'), 'purgatory.bin')).equals(readFileSync(join(dir('console'), 'purgatory.bin')))).toBe(false);
    const r = cli(['audit', '--diff', dir('base'), dir('console')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^privileged instructions \(by function, kind and detail\): no change$/m);
    expect(r.stdout).toMatch(/^functions: 0 added, removed or changed; \d+ unchanged$/m);
    expect(r.stdout).toMatch(/^ {2}file size +(\d+) +\1 +same$/m);
  });

  it('does not count code that only moved as changed', async () => {
    // The same stubs in another order: every offset after entry.s shifts.
    const moved = { ...arm64, codeStubs: ['entry', 'console', 'runtime', 'power', 'mmu', 'vectors', 'memops'] };
    const out = writeOut('moved', await buildBlob(moved, parseConsoleSpec(arm64.defaultConsole), arm64.defaultConsole));
    expect(readFileSync(join(out, 'purgatory.lst'), 'utf8')).not.toBe(readFileSync(join(dir('base'), 'purgatory.lst'), 'utf8'));
    const d = diffJson(dir('base'), out);
    expect(d.privileged).toEqual([]);
    expect(d.mmio).toEqual([]);
    expect(d.functions).toEqual([]);
  });

  it('reports an added function by name, with its size and stack', async () => {
    const entry = join(tempDir('gp-audit-entry-'), 'main.ts');
    writeFileSync(entry, `export * from '${ROOT}/templates/main.ts';
import { u64 } from '${ROOT}/templates/rt/types.ts';
export function auditExtra(n: u64): u64 { return n * 3n + 1n; }
`);
    const out = writeOut('extra', await buildBlob(arm64, parseConsoleSpec(arm64.defaultConsole), arm64.defaultConsole, entry));
    const d = diffJson(dir('base'), out);
    expect(d.functions.map((f) => `${f.change} ${f.name}`)).toEqual(['added main__auditExtra']);
    expect(d.functions[0].newSize).toBeGreaterThan(0);
    expect(d.sizes.find((s) => s.key === 'functions')).toEqual(expect.objectContaining({ new: expect.any(Number) }));
    const text = cli(['audit', '--diff', dir('base'), out]).stdout;
    expect(text).toMatch(/^ {2}added +main__auditExtra +- -> \d+ +- -> -$/m); // nothing calls it
  });

  it('reports a privileged instruction removed by function, kind and detail', async () => {
    const a = await buildBlob(arm64, parseConsoleSpec(arm64.defaultConsole), arm64.defaultConsole);
    const old = auditBlob(a.audit, arm64.audit);
    // The same report with every offset shifted and the HVC of power.s gone.
    const shifted = { ...old, privileged: old.privileged.filter((p) => p.kind !== 'hvc').map((p) => ({ ...p, offset: p.offset + 0x40 })) };
    const d = diffReports(old, shifted, 'old', 'new');
    expect(d.privileged).toEqual([{ key: 'rt_halt: hvc function ID 0x84000008', old: 1, new: 0 }]);
  });
});

describe('audit --diff with bad input', () => {
  const fails = (args: string[], message: RegExp): void => {
    const r = cli(['audit', '--diff', ...args]);
    expect(r.status, r.stdout).toBe(2);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  };

  it('names the missing or damaged file', () => {
    fails([dir('base'), dir('nowhere')], /nowhere\/manifest\.json: missing/);
    cpSync(dir('base'), dir('flipped'), { recursive: true });
    const bin = readFileSync(join(dir('flipped'), 'purgatory.bin'));
    bin[0x100] ^= 0xff;
    writeFileSync(join(dir('flipped'), 'purgatory.bin'), bin);
    fails([dir('base'), dir('flipped')], /flipped\/purgatory\.bin: sha256 differs from manifest\.json/);
    cpSync(dir('base'), dir('notjson'), { recursive: true });
    writeFileSync(join(dir('notjson'), 'manifest.json'), '{"arch": ');
    fails([dir('notjson'), dir('base')], /notjson\/manifest\.json: not JSON/);
  });

  it('refuses to compare two architectures', () => {
    fails([dir('base'), dir('x86')], /holds an arm64 blob and .* an x86_64 one/);
  });
});
