// The patched kexec of integrations/kexec-tools/: built by its build.sh from the Debian
// source package scripts/setup-tests.sh fetches, and cached in .cache/kexec-tools by a
// hash of everything the build reads, so the suite builds once per change, not per run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ROOT, type Arch } from './debian.ts';
import { debianRoots } from '../../generator/qemu/kexec-root.ts';

export const INTEGRATION: string = join(ROOT, 'integrations', 'kexec-tools');
export const PATCHES: string = join(INTEGRATION, 'patches');
const SOURCE_CACHE = join(CACHE, 'kexec-tools-src');
/** The unpacked Debian source tree (a symlink setup-tests.sh makes). */
export const KEXEC_TOOLS_SOURCE: string = join(SOURCE_CACHE, 'tree');
const BUILDS = join(CACHE, 'kexec-tools');

/** The series' patch file names, in order. */
export function seriesPatches(): string[] {
  return readFileSync(join(PATCHES, 'series'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * What a build reads: build.sh, the series, the blob (out/ is kept equal to what the
 * generator makes, test/blob/generate.test.ts checks it), the C rendering and the
 * source package's version.
 */
function inputsHash(arch: Arch): string {
  const h = createHash('sha256');
  const add = (name: string, data: Uint8Array | string): void => { h.update(`${name}\0${data.length}\0`); h.update(data); };
  add('build.sh', readFileSync(join(INTEGRATION, 'build.sh')));
  add('series', readFileSync(join(PATCHES, 'series')));
  for (const p of seriesPatches()) add(p, readFileSync(join(PATCHES, p)));
  add('blob', readFileSync(join(ROOT, 'out', arch, 'purgatory.bin')));
  add('c-source', readFileSync(join(ROOT, 'generator', 'blob', 'c-source.ts')));
  add('source', readdirSync(SOURCE_CACHE).filter((f) => f.endsWith('.dsc')).sort().join('\n'));
  return h.digest('hex').slice(0, 16);
}

export interface PatchedKexec {
  /** A tree for --kexec-root: <root>/sbin/kexec. */
  root: string;
  kexec: string;
  /** Seconds build.sh took; undefined when the cache had it. */
  buildSeconds?: number;
}

function run(cmd: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    child.on('close', (code) => resolve({ status: code ?? -1, output }));
  });
}

/** The patched static kexec for `arch`, built by build.sh unless the cache has this build. */
export async function patchedKexec(arch: Arch): Promise<PatchedKexec> {
  if (!existsSync(join(KEXEC_TOOLS_SOURCE, 'kexec', 'kexec.c'))) throw new Error(`${KEXEC_TOOLS_SOURCE} missing: run scripts/setup-tests.sh first`);
  const name = `${arch}-${inputsHash(arch)}`;
  const root = join(BUILDS, name);
  const kexec = join(root, 'sbin', 'kexec');
  if (existsSync(kexec)) return { root, kexec };
  const tmp = `${root}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const t0 = Date.now();
  const r = await run('bash', [join(INTEGRATION, 'build.sh'), KEXEC_TOOLS_SOURCE, arch, join(tmp, 'sbin', 'kexec')]);
  if (r.status !== 0) throw new Error(`build.sh ${arch} failed (status ${r.status}):\n${r.output.slice(-3000)}`);
  const buildSeconds = (Date.now() - t0) / 1000;
  // Older builds of this arch are stale: keep only this one.
  mkdirSync(BUILDS, { recursive: true });
  for (const old of readdirSync(BUILDS).filter((d) => d.startsWith(`${arch}-`) && d !== `${name}.tmp`)) {
    rmSync(join(BUILDS, old), { recursive: true, force: true });
  }
  renameSync(tmp, root);
  return { root, kexec, buildSeconds };
}

/** --kexec-root trees: the patched kexec first, then Debian's packages for busybox. */
export function patchedKexecRoots(arch: Arch, k: PatchedKexec): string[] {
  return [k.root, ...debianRoots(arch)];
}
