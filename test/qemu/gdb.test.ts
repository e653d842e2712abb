// gdb on the blob: `gen-purgatory qemu --gdb` starts QEMU's gdbstub with the CPU
// stopped and says where the blob is; gdb-multiarch loads purgatory.elf's DWARF there,
// breaks in the MMU stub and at a line of the PE loader, both reached on every boot, and
// unwinds through the compiled templates/ functions to the entry stub, where the
// backtrace ends cleanly.
import { describe, it, expect } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { debianKernel, ROOT, type Arch } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

const GDB_ARCH: Record<Arch, string> = { arm64: 'aarch64', x86_64: 'i386:x86-64' };
const CONSOLE: Record<Arch, string> = { arm64: 'console=ttyAMA0', x86_64: 'console=ttyS0' };
/** A label in the MMU stub after its calls (arm64 then holds the return address in x9). */
const MMU_STOP: Record<Arch, string> = { arm64: 'mmu_el1', x86_64: 'mmu_done' };

/** The 1-based line of `text` in a project source file: the test follows edits. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(join(ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${file} no longer has '${text}'`);
  return i + 1;
}

/** Starts the qemu command in its own process group (QEMU is its child); resolves with the blob's address. */
function startQemu(arch: Arch, dir: string, sock: string): { child: ChildProcess; blobAt: Promise<string> } {
  const args = [join(ROOT, 'bin', 'gen-purgatory.js'), 'qemu', '--arch', arch, debianKernel(arch), '--blob', join(dir, 'purgatory.bin'),
    '--append', CONSOLE[arch], '--timeout', '240', '--gdb', `unix:${sock},server=on,wait=off`];
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const blobAt = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
      const m = /^gen-purgatory: gdb: QEMU waits on \S+; blob at (0x[0-9a-f]+)/m.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`qemu ended before gdb attached:\n${stderr}`)));
  });
  return { child, blobAt };
}

/** Waits (no deadline of its own: the test's timeout bounds it) until QEMU listens. */
async function listening(sock: string): Promise<void> {
  while (!existsSync(sock)) await new Promise((r) => setTimeout(r, 100));
}

function gdb(commands: string[]): Promise<string> {
  const args = ['-batch', '-nx', ...commands.flatMap((c) => ['-ex', c])];
  return new Promise((resolve) => {
    execFile('gdb-multiarch', args, { cwd: ROOT, timeout: 180_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve(`${stdout}${stderr}${err ? `\n(gdb: ${err.message})` : ''}`);
    });
  });
}

/** Each stop's backtrace, as "function file:line" frames, from gdb's `bt` after it. */
function backtraces(out: string): string[][] {
  return out.split(/^Breakpoint \d+, /m).slice(1)
    .map((stop) => [...stop.matchAll(/^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(\) at (\S+):(\d+)$/gm)].map((m) => `${m[2]} ${m[3]}:${m[4]}`));
}

describe('gdb-multiarch on the blob through QEMU\'s gdbstub', () => {
  it.each(['arm64', 'x86_64'] as Arch[])('%s: breaks in the MMU stub and the PE loader and unwinds to the entry stub', async (arch) => {
    const dir = tempDir(`gen-purgatory-gdb-${arch}-`);
    // a blob generated now, so its ELF has the DWARF whether out/ is regenerated or not
    const gen = cli(['--arch', arch, '-o', dir]);
    expect(gen.status, gen.stderr).toBe(0);
    const sock = join(dir, 'gdb.sock');
    const { child, blobAt } = startQemu(arch, dir, sock);
    try {
      const base = await blobAt;
      await listening(sock);
      const at = lineOf('templates/peloader.ts', 'const pe: u64 = rd32(src + 0x3cn);');
      const out = await gdb([
        'set confirm off', 'set pagination off', `set architecture ${GDB_ARCH[arch]}`,
        `add-symbol-file ${join(dir, 'purgatory.elf')} -o ${base}`, `target remote ${sock}`,
        `break ${MMU_STOP[arch]}`, `break templates/peloader.ts:${at}`, 'continue', 'bt', 'continue', 'bt', 'kill',
      ]);
      expect(out).toMatch(new RegExp(`^Breakpoint 2, peloader__checkPe \\(\\) at templates/peloader\\.ts:${at}$`, 'm'));
      const stub = lineOf(`stubs-asm/${arch}/entry.s`, 'templates/firmware.ts: never returns');
      const efiMain = (text: string): string => `firmware__efiMain templates/firmware.ts:${lineOf('templates/firmware.ts', text)}`;
      const [mmu, pe] = backtraces(out);
      expect(mmu, out).toEqual([
        `${MMU_STOP[arch]} stubs-asm/${arch}/mmu.s:${lineOf(`stubs-asm/${arch}/mmu.s`, `${MMU_STOP[arch]}:`) + 1}`,
        `paging__pagingInit templates/paging.ts:${lineOf('templates/paging.ts', 'mmuEnable(root);')}`,
        efiMain('pagingInit(h, con);'),
        `handoff_ready stubs-asm/${arch}/entry.s:${stub}`,
      ]);
      expect(pe, out).toEqual([
        `peloader__checkPe templates/peloader.ts:${at}`,
        `peloader__peLoad templates/peloader.ts:${lineOf('templates/peloader.ts', 'let status: u64 = checkPe(src, size);')}`,
        `image__load templates/image.ts:${lineOf('templates/image.ts', 'peLoad(src, size, room, INFO)')}`,
        `image__imgLoadSegment templates/image.ts:${lineOf('templates/image.ts', 'return load(0n, 0n, src, size, room, handleOut);')}`,
        efiMain('const status: u64 = imgLoadSegment('),
        `handoff_ready stubs-asm/${arch}/entry.s:${stub}`,
      ]);
      // the entry stub is the outermost frame: no unwinding into garbage after it
      expect(out).not.toMatch(/Backtrace stopped|corrupt/);
    } finally {
      // the group: the CLI and the QEMU it started (gdb's kill has usually ended both)
      try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }, 240_000);
});
