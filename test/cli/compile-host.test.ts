// `compile --host` from the build: Node runs no TypeScript there, so the subset modules
// are transpiled and run over the runtime built into dist/templates/rt/ (host.ts). The
// result must be the one the program states, as from the sources (programs.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
