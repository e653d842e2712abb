// `gen-purgatory wrap` and `inspect` of its output as a user runs them: output files,
// the summary line, byte-identical reruns, and one-line errors that leave nothing behind.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cli, cliAsync, isOneLineError, type CliResult } from '../support/cli.ts';
import { debianKernel, systemdStub, ROOT, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { testBlobFile, WAYIN } from '../support/test-blob.ts';
import { craftPe } from './craft.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { WR } from '../../generator/loader/layout.ts';

const dir = tempDir('gen-purgatory-wrap-cli-');

const blobFile = (arch: Arch): string => testBlobFile(dir, arch);

const write = (name: string, data: Uint8Array | string): string => {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
};
/** A value inside parsed JSON by dotted path. */
const at = (json: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], json);

describe('wrap CLI', () => {
  it('wraps the arm64 Image: one summary line, byte-identical on a second run', async () => {
    const [a, b] = await Promise.all(['a1.wrapped', 'a2.wrapped'].map((name) =>
      cliAsync(['wrap', debianKernel('arm64'), '--blob', blobFile('arm64'), '-o', join(dir, name)])));
    for (const r of [a, b]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    expect(a.stdout).toMatch(/^wrote \S+a1\.wrapped: arm64 Image, image_size 0x[0-9a-f]+000, \d+ bytes; payload arm64-image 27303872 bytes at 0x[0-9a-f]+; blob build id [0-9a-f]{16}\n$/);
    const one = readFileSync(join(dir, 'a1.wrapped'));
    expect(one.equals(readFileSync(join(dir, 'a2.wrapped')))).toBe(true);
    const payload = Number(one.readBigUInt64LE(0x100 + WR.PAYLOAD));
    expect(one.subarray(payload, payload + 27303872).equals(readFileSync(debianKernel('arm64')))).toBe(true);
  });

  it('-o DIR puts IMAGE.wrapped in it; a UKI says whose command line wins', () => {
    const uki = write('own.efi', buildUki({ stub: systemdStub('x86_64'), kernel: debianKernel('x86_64'), cmdline: 'console=ttyS0' }));
    const out = join(dir, 'outdir');
    mkdirSync(out);
    const r = cli(['wrap', uki, '--blob', blobFile('x86_64'), '-o', out, '--console', '16550,io,0x2f8']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: x86 bzImage, init_size 0x[0-9a-f]+, \d+ bytes; payload uki \(x86-bzimage, own \.cmdline\) \d+ bytes at 0x/);
    expect(readdirSync(out)).toEqual(['own.efi.wrapped']);
    const bytes = readFileSync(join(out, 'own.efi.wrapped'));
    expect(bytes.readUInt32LE(0x500 + WR.FLAGS)).toBe(1);
    expect([bytes.readUInt32LE(0x500 + WR.CONSOLE), Number(bytes.readBigUInt64LE(0x500 + WR.CONSOLE + 8))]).toEqual([2, 0x2f8]);
  });

  it('the default blob is out/<arch>/purgatory.bin', () => {
    const committed = readFileSync(join(ROOT, 'out', 'arm64', 'purgatory.bin'));
    const header = parseBlobHeader(committed, 'out/arm64/purgatory.bin');
    const out = join(dir, 'default.wrapped');
    const r = cli(['wrap', ZBOOT_FIXTURE, '-o', out]);
    if (header.wayinOffset < header.headerSize) {
      // a blob generated before the way in existed: refused, not wrapped into a crash
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/purgatory\.bin: offset 0x38: way-in entry offset: 0x0 is not code/);
      return;
    }
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`blob build id ${header.buildId.slice(0, 16)}`);
    expect(readFileSync(out).subarray(0x1000, 0x1000 + committed.length).equals(committed)).toBe(true);
  });

  it('inspect shows the record, the checks and the payload; --json the same facts', async () => {
    const file = join(dir, 'z.wrapped');
    expect(cli(['wrap', ZBOOT_FIXTURE, '--blob', blobFile('arm64'), '-o', file, '--console', 'pl011,0x9000000']).status).toBe(0);
    const damaged = (where: number, name: string): string => {
      const bytes = readFileSync(file);
      bytes[Number(bytes.readBigUInt64LE(0x100 + WR.PAYLOAD)) + where] ^= 1;
      bytes.fill(0, bytes.length - 16);
      return write(name, bytes);
    };
    const [text, json, worse, headers] = await Promise.all([
      cliAsync(['inspect', file]), cliAsync(['inspect', '--json', file]),
      cliAsync(['inspect', damaged(0x100000, 'bad.wrapped')]), cliAsync(['inspect', damaged(0x100, 'headers.wrapped')])]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^format\s+wrapped \(as an arm64 Image\)$/m);
    expect(text.stdout).toMatch(/^ {2}entry\s+0x2234: the blob's way-in entry$/m);
    expect(text.stdout).toMatch(/^ {2}payload check\s+0x[0-9a-f]+: verified$/m);
    expect(text.stdout).toMatch(/^ {2}trailer\s+at file offset 0x[0-9a-f]+: verified$/m);
    expect(text.stdout).toMatch(/^ {2}console\s+pl011,0x9000000$/m);
    expect(text.stdout).toMatch(/^ {2}image_size\s+\d+ \(0x[0-9a-f]+\)$/m);
    expect(text.stdout).toMatch(/^payload\n {2}file\s+\S+z\.wrapped:payload\n {2}size\s+1610240 \(0x189200\)\n {2}format\s+arm64-zboot$/m);
    expect(text.stdout).toMatch(/^ {4}compression\s+gzip$/m);
    const j: unknown = JSON.parse(json.stdout);
    expect([at(j, 'format'), at(j, 'arch'), at(j, 'wrap.format'), at(j, 'wrap.checkOk'), at(j, 'wrap.trailerOk')])
      .toEqual(['wrapped', 'arm64', 'arm64-image', true, true]);
    expect(at(j, 'wrap.record.console.base')).toBe('0x9000000');
    expect(at(j, 'wrap.blob.wayinOffset')).toBe(WAYIN);
    expect(at(j, 'payload.format')).toBe('arm64-zboot');
    expect(at(j, 'wrap.record.check')).toBe(at(j, 'wrap.computedCheck'));
    expect(worse.status).toBe(0);
    expect(worse.stdout).toMatch(/^ {2}payload check\s+0x[0-9a-f]+: MISMATCH, the payload hashes to 0x[0-9a-f]+$/m);
    expect(worse.stdout).toMatch(/^ {2}trailer\s+at file offset 0x[0-9a-f]+: no GPWRAPND magic \(truncated or damaged\)$/m);
    expect(worse.stdout).toMatch(/^ {2}format\s+arm64-zboot$/m);
    expect(headers.status).toBe(0); // a damaged payload header is what the failed check explains
    expect(headers.stdout).toMatch(/MISMATCH/);
    expect(headers.stdout).toMatch(/^payload\n {2}not identified: \S+headers\.wrapped:payload: offset 0x[0-9a-f]+: /m);
  });

  it('bad input: exit 2, one line, no output file and no temporary left behind', async () => {
    const out = join(dir, 'errors');
    mkdirSync(out);
    const riscv = write('riscv.efi', craftPe({ machine: 0x5064 }).data);
    const plain = write('plain.efi', craftPe().data);
    const text = write('notes.txt', 'not a kernel\n');
    const garbageBlob = write('garbage.bin', 'GPURGTRY but not really');
    const wrapped = join(dir, 'a1.wrapped');
    const cases: [string[], RegExp][] = [
      [[text], /notes\.txt: offset 0x0: e_magic: not "MZ": not a PE\/COFF image$/],
      [[riscv], /riscv\.efi: offset 0x44: Machine: riscv64 images are not supported \(only arm64 and x86_64\)$/],
      [[plain], /plain\.efi: offset 0x40: PE header: a PE image, but not an EFI-stub kernel/],
      [[wrapped], /a1\.wrapped: offset 0x100: wrap record: a wrapped image \(gen-purgatory wrap\)/],
      [[join(dir, 'nope.efi')], /image \S+nope\.efi: cannot read: no such file$/],
      [[ZBOOT_FIXTURE, '--blob', join(dir, 'nope.bin')], /blob \S+nope\.bin: cannot read: no such file$/],
      [[ZBOOT_FIXTURE, '--blob', dir], /blob \S+: cannot read: is a directory$/],
      [[ZBOOT_FIXTURE, '--blob', garbageBlob], /garbage\.bin: offset 0x17: header: file shorter than the blob header$/],
      [[ZBOOT_FIXTURE, '--blob', blobFile('x86_64')], /blob \S+blob-x86_64\.bin: built for machine 0x8664, not arm64$/],
      [[debianKernel('x86_64'), '--blob', blobFile('arm64')], /blob \S+blob-arm64\.bin: built for machine 0xaa64, not x86_64$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => cliAsync(['wrap', ...args, '-o', join(out, 'x.wrapped')])));
    runs.forEach((r: CliResult, i) => {
      const what = `${cases[i][0].map((a) => basename(a)).join(' ')}: ${r.stderr}`;
      expect(r.status, what).toBe(2);
      expect(isOneLineError(r), what).toBe(true);
      expect(r.stderr.trimEnd(), what).toMatch(cases[i][1]);
      expect(r.stdout, what).toBe('');
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('usage: exit 64; --help: exit 0', async () => {
    const image = debianKernel('arm64');
    const [none, two, silent, badSpec, self, help] = await Promise.all([
      cliAsync(['wrap']), cliAsync(['wrap', image, image]), cliAsync(['wrap', image, '--console', 'none']),
      cliAsync(['wrap', image, '--console', 'uart9']), cliAsync(['wrap', image, '-o', image]), cliAsync(['wrap', '--help']),
    ]);
    for (const r of [none, two, silent, badSpec, self]) {
      expect(r.status, r.stderr).toBe(64);
      expect(isOneLineError(r), r.stderr).toBe(true);
    }
    expect(silent.stderr).toMatch(/--console none cannot be recorded/);
    expect(self.stderr).toMatch(/is IMAGE itself/);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: gen-purgatory wrap IMAGE \[-o FILE\] \[--console SPEC\] \[--blob F\]/);
    expect(existsSync(join(ROOT, `${basename(image)}.wrapped`))).toBe(false);
  });
});
