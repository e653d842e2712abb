// Heavy dependencies load only in the commands that need them: ts-morph only where the
// front end runs (not for --arch while the build's precompiled templates are current),
// keystone and capstone only where something is assembled or disassembled.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { debianKernel, ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

const tmp = tempDir('gp-loading-');
const list = join(tmp, 'loaded.txt');
// Loaded before the CLI: at exit, writes down every CommonJS module Node loaded, which
// every package here is, whether imported or required.
const preload = join(tmp, 'preload.mjs');
writeFileSync(preload, `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(${JSON.stringify(list)}, Object.keys(cache).join('\\n')));
`);

// Their code, not their package.json (read for versions).
const HEAVY = { 'ts-morph': /\/ts-morph\/dist\//, keystone: /\/keystone-js\/dist\//, capstone: /\/capstone-js\/dist\// };

/** The heavy dependencies a successful run of the CLI loaded, and what it printed. */
function run(args: string[]): { heavy: string[]; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', preload, join(ROOT, 'bin', 'gen-purgatory.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const files = readFileSync(list, 'utf8').split('\n');
  return { heavy: Object.entries(HEAVY).filter(([, re]) => files.some((f) => re.test(f))).map(([name]) => name), stdout: r.stdout };
}

describe('what each command loads', () => {
  it.each([
    ['--version', ['--version'], []],
    ['inspect', ['inspect', debianKernel('arm64')], []],
    ['a command\'s --help', ['qemu', '--help'], []],
    ['wrap', ['wrap', debianKernel('arm64'), '-o', join(tmp, 'wrapped')], []],
    ['--arch, from the precompiled templates', ['--arch', 'arm64', '-o', join(tmp, 'arm64')], ['keystone', 'capstone']],
    ['compile', ['compile', 'test/compiler/programs/001-add-u64.ts', '--arch', 'x86_64'], ['ts-morph']],
  ])('%s', (_what, args, heavy) => {
    expect(run(args as string[]).heavy).toEqual(heavy);
  });

  // audit --diff reads two directories and decodes them: capstone, never keystone or ts-morph.
  it('audit --diff', () => {
    expect(cli(['--arch', 'x86_64', '-o', join(tmp, 'out')]).status).toBe(0);
    const r = run(['audit', '--diff', join(tmp, 'out'), join(tmp, 'out')]);
    expect(r.stdout).toMatch(/^functions: 0 added, removed or changed; \d+ unchanged$/m);
    expect(r.heavy).toEqual(['capstone']);
  });
});
