// `compile --host` from the build: Node runs no TypeScript there, so the subset modules
// are transpiled and run over the runtime built into dist/templates/rt/ (host.ts). The
// result must be the one the program states, as from the sources (programs.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';

const PROGRAMS = join(ROOT, 'test', 'compiler', 'programs');

describe('compile --host from the build', () => {
  it.each([
    '001-add-u64.ts', // one module
    '133-cross-module-calls.ts', // imports a module of its own
    '134-cross-module-data.ts',
  ])('%s', (name) => {
    const want = /^\/\/ expect: (-?\d+)/.exec(readFileSync(join(PROGRAMS, name), 'utf8'))?.[1];
    const r = cli(['compile', join(PROGRAMS, name), '--host']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${want}\n`);
  });
});

describe('compile --host of a module outside the project', () => {
  // Its only common directory with templates/ is /, and its absolute import must run the
  // transformed copy: u8 arithmetic wraps (200 + 100 = 44), as the machine code's does.
  it('imports templates/ by absolute path and gets the subset\'s arithmetic', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-host-outside-'));
    const helper = join(dir, 'helper.ts');
    writeFileSync(helper, `import { u8 } from ${JSON.stringify(join(ROOT, 'templates/rt/types.ts'))};\nexport function add8(a: u8, b: u8): u8 { return a + b; }\n`);
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `import { u64 } from ${JSON.stringify(join(ROOT, 'templates/rt/types.ts'))};\nimport { add8 } from ${JSON.stringify(helper)};\nexport function main(): u64 { return u64(add8(200n, 100n)); }\n`);
    const r = cli(['compile', entry, '--host'], 60_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('44\n');
  });
});
