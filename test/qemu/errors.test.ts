// Bad input to plan and qemu gets one clear line before anything starts, and a blob
// without a usable handoff block says so on the console instead of hanging silently.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { cli, isOneLineError } from '../support/cli.ts';
import { debianKernel, ROOT } from '../support/debian.ts';
import { machineArgs } from '../../generator/qemu/arm64.ts';
import { spawnQemu } from '../../generator/qemu/run.ts';
import { tempDir } from '../support/tmp.ts';

const tmp = tempDir('gp-err-');
const e820 = join(tmp, 'e820.txt');
writeFileSync(e820, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\nBIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n');

describe('plan and qemu refuse bad input with one line', () => {
  it.each([
    ['a missing initrd', ['qemu', '--arch', 'arm64', debianKernel('arm64'), '--initrd', join(tmp, 'nope')], 2, /initrd .*nope: cannot read: no such file/],
    ['an image of the other arch', ['qemu', '--arch', 'x86_64', debianKernel('arm64')], 2, /is an arm64 arm64-image, but --arch is x86_64/],
    ['a file that is no kernel', ['qemu', '--arch', 'arm64', e820], 2, /e820\.txt: offset 0x0: /],
    ['--el2 on x86_64', ['qemu', '--arch', 'x86_64', debianKernel('x86_64'), '--el2'], 64, /--el2 is for arm64 only/],
    ['plan without a memory map', ['plan', debianKernel('x86_64')], 64, /give exactly one of --dtb F or --e820 F/],
    ['plan with the blob past the end of RAM', ['plan', debianKernel('x86_64'), '--e820', e820, '--initrd', debianKernel('arm64'), '--blob-addr', '0x3ffff000'], 2, /blob at 0x3ffff000\+0x[0-9a-f]+ is not inside free usable RAM/],
  ])('%s', (_what, args, status, message) => {
    const r = cli(args as string[]);
    expect(r.status, r.stderr).toBe(status);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('plan --json describes segments and memory map', () => {
    const r = cli(['plan', debianKernel('x86_64'), '--e820', e820, '--append', 'console=ttyS0', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.arch).toBe('x86_64');
    expect(plan.segments.map((s: { name: string }) => s.name)).toEqual(['image', 'handoff', 'blob']);
    expect(plan.regions).toHaveLength(2);
    expect(BigInt(plan.segments[0].addr)).toBeGreaterThanOrEqual(0x100_0000n);
  });
});

describe('a blob with no handoff block', () => {
  const base = 0x4800_0000;
  const blob = join(ROOT, 'out/arm64/purgatory.bin');
  /** Starts the committed arm64 blob at `entry` as kexec would; the first line it prints. */
  async function firstLine(entry: number): Promise<string> {
    const args = [...machineArgs({ memoryBytes: 1 << 30, el2: false }),
      '-device', `loader,file=${blob},addr=0x${base.toString(16)},force-raw=on`,
      '-device', `loader,addr=0x${(base + entry).toString(16)},cpu-num=0`];
    const run = await spawnQemu({ binary: 'qemu-system-aarch64', args }, { timeoutMs: 20_000, mark: /\n/, stopAtMark: true });
    return run.output;
  }

  it('prints one error line on the built-in console instead of hanging silently', async () => {
    const h = parseBlobHeader(readFileSync(blob), blob);
    expect(await firstLine(h.entryOffset)).toMatch(/^gen-purgatory: error: no valid handoff block \(bad magic or version\) at handoff_slot = 0x0\r?\n/);
  });

  it('entered at the way-in entry outside a wrapped image: one line naming where it looked', async () => {
    const h = parseBlobHeader(readFileSync(blob), blob);
    const record = (base - 0x1000 + 0x100).toString(16);
    expect(await firstLine(h.wayinOffset)).toMatch(new RegExp(`^gen-purgatory: error: wrapped image: no wrap record \\(bad magic\\) at 0x${record}\\r?\\n`));
  });
});
