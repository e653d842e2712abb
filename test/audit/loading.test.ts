// `audit --diff` reads two directories and decodes them: capstone, never keystone or
// ts-morph (docs/packaging.md), as test/cli/loading.test.ts checks for other commands.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

const tmp = tempDir('gp-audit-loading-');
const list = join(tmp, 'loaded.txt');
const preload = join(tmp, 'preload.mjs');
writeFileSync(preload, `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(${JSON.stringify(list)}, Object.keys(cache).join('\\n')));
`);

describe('audit --diff', () => {
  it('loads capstone only', () => {
    expect(cli(['--arch', 'x86_64', '-o', join(tmp, 'out')]).status).toBe(0);
    const r = spawnSync(process.execPath, ['--import', preload, join(ROOT, 'bin', 'gen-purgatory.js'), 'audit', '--diff', join(tmp, 'out'), join(tmp, 'out')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^functions: 0 added, removed or changed; \d+ unchanged$/m);
    const files = readFileSync(list, 'utf8').split('\n');
    expect(files.some((f) => /\/capstone-js\/dist\//.test(f))).toBe(true);
    expect(files.some((f) => /\/(keystone-js|ts-morph)\/dist\//.test(f))).toBe(false);
  });
});
