// The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a
// temporary prefix (dependencies from a registry on 127.0.0.1 serving node_modules, so
// no network), then the installed command: --version, inspect, wrap and --arch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianKernel, ROOT } from '../support/debian.ts';
import { localRegistry, type Registry } from '../support/registry.ts';
import { tempDir } from '../support/tmp.ts';

const run = promisify(execFile);
const tmp = tempDir('gp-pack-');
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
const bin = join(prefix, 'bin', 'gen-purgatory');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

/** The environment without what `npm test` passes its scripts (npm_config_prefix and the like). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

const npm = (args: string[], cwd: string): Promise<{ stdout: string }> =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: cleanEnv(), maxBuffer: 64 << 20 });

const installed = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(bin, args, { cwd: work, env: cleanEnv(), maxBuffer: 64 << 20 });

let registry: Registry | undefined;
let tarball = '';

beforeAll(async () => {
  // dist/ is current (the global setup built it): pack it as it is rather than rebuild
  // under the feet of other test files running the CLI.
  await npm(['pack', '--ignore-scripts', '--pack-destination', tmp], ROOT);
  tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
  registry = await localRegistry(Object.keys(pkg.dependencies), ROOT);
  await npm(['install', '--global', '--prefix', prefix, '--registry', registry.url, '--cache', join(tmp, 'npm-cache'), tarball], tmp);
  await run('mkdir', ['-p', work]);
});
afterAll(() => registry?.close());

describe('npm pack and npm install -g of the tarball', () => {
  it('ships the build, the blobs and what generation reads, not the sources of the CLI', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 });
    const files = stdout.split('\n');
    for (const f of ['bin/gen-purgatory.js', 'dist/generator/cli.js', 'dist/generator/cli.js.map', 'out/arm64/purgatory.bin',
      'out/x86_64/purgatory.bin', 'templates/main.ts', 'templates/rt/types.ts', 'stubs-asm/arm64/entry.s', 'stubs-asm/shim/com1.s']) {
      expect(files, f).toContain(`package/${f}`);
    }
    expect(files.filter((f) => /^package\/(generator|test|bench|scripts)\/|tsbuildinfo/.test(f))).toEqual([]);
  });

  it('--version', async () => {
    expect((await installed(['--version'])).stdout).toBe(`gen-purgatory ${pkg.version}\n`);
  });

  it('inspect', async () => {
    const { stdout } = await installed(['inspect', debianKernel('arm64')]);
    expect(stdout).toMatch(/^format +arm64-image$/m);
  });

  it('wrap, with the blob the package ships', async () => {
    const { stdout } = await installed(['wrap', debianKernel('x86_64'), '-o', join(work, 'vmlinuz.wrapped')]);
    expect(stdout).toMatch(/^wrote .*vmlinuz\.wrapped: x86 bzImage/);
    const { stdout: seen } = await installed(['inspect', join(work, 'vmlinuz.wrapped')]);
    expect(seen).toMatch(/^  payload check .*: verified$/m);
  });

  it('--arch writes the same files as the checkout does', async () => {
    const [out, here] = [join(work, 'arm64'), join(work, 'arm64-checkout')];
    await installed(['--arch', 'arm64', '-o', out]);
    await run(process.execPath, [join(ROOT, 'bin', 'gen-purgatory.js'), '--arch', 'arm64', '-o', here], { cwd: ROOT });
    for (const f of ['purgatory.bin', 'purgatory.elf', 'purgatory.lst', 'manifest.json']) {
      expect(readFileSync(join(out, f)).equals(readFileSync(join(here, f))), f).toBe(true);
    }
  });
});
