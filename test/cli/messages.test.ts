// Messages a new user meets: a bad --arch, and QEMU (or qemu-user) not installed, which
// must name the missing tool and the Debian package that provides it. One line each, on
// stderr, ending in a newline, and a non-zero exit.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isOneLineError, type CliResult } from '../support/cli.ts';
import { debianKernel, ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

/** The CLI as cli() runs it, with a PATH that holds none of the tools it may start. */
function withoutTools(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'gen-purgatory.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' }, timeout: 300_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('an architecture we do not build for', () => {
  it.each([
    [['--arch', 'riscv64']],
    [['qemu', '--arch', 'riscv64', 'vmlinuz']],
    [['qemu', '--kexec', '--arch', 'riscv64', 'vmlinuz']],
    [['compile', 'templates/banner.ts', '--arch', 'riscv64']],
  ])('%j: one line naming the arches, ending in a newline, exit 64', (args) => {
    const r = withoutTools(args);
    expect(r.status).toBe(64);
    expect(isOneLineError(r), r.stderr).toBe(true);
    for (const name of ['riscv64', 'arm64', 'x86_64']) expect(r.stderr).toContain(name);
    expect(r.stderr).toMatch(/[^\n]\n$/);
    expect(r.stdout).toBe('');
  });
});

describe('QEMU not installed', () => {
  it.each([
    ['qemu, arm64', ['qemu', '--arch', 'arm64', debianKernel('arm64')], 'qemu-system-aarch64', 'qemu-system-arm'],
    ['qemu, x86_64', ['qemu', '--arch', 'x86_64', debianKernel('x86_64')], 'qemu-system-x86_64', 'qemu-system-x86'],
    ['qemu --kexec, arm64', ['qemu', '--kexec', '--arch', 'arm64', debianKernel('arm64')], 'qemu-system-aarch64', 'qemu-system-arm'],
    ['qemu --kexec, x86_64', ['qemu', '--kexec', '--arch', 'x86_64', debianKernel('x86_64')], 'qemu-system-x86_64', 'qemu-system-x86'],
    ['compile --run, arm64', ['compile', 'test/compiler/programs/001-add-u64.ts', '--arch', 'arm64', '--run'], 'qemu-aarch64', 'qemu-user'],
  ])('%s: names the tool and its Debian package', (_what, args, tool, pkg) => {
    const r = withoutTools(args);
    expect(r.status).toBe(1);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toContain(`${tool} is not installed (on Debian: apt-get install ${pkg})\n`);
  });
});

describe('a checkout never built', () => {
  it('says to build, in one line', () => {
    const root = tempDir('gp-unbuilt-');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    copyFileSync(join(ROOT, 'bin', 'gen-purgatory.js'), join(bin, 'gen-purgatory.js'));
    const r = spawnSync(process.execPath, [join(bin, 'gen-purgatory.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('gen-purgatory: dist/ is missing: run npm install or npm run build\n');
  });
});
