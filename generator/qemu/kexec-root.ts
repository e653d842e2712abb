// Where the real-kexec harness finds its parts: the first kernel and the userspace that
// runs kexec (busybox, Debian's kexec binary, its dynamic loader and every library it
// loads). By default all come from the Debian packages scripts/setup-tests.sh unpacks
// into .cache/debian/<debarch>/<package>/root; --kexec-root names other trees.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { FormatError, GenError } from '../errors.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { elfDeps, type ElfDeps } from '../formats/elf-deps.ts';
import type { CpioEntry } from '../formats/cpio.ts';

export type KexecArch = 'arm64' | 'x86_64';

const DEB_ARCH: Record<KexecArch, string> = { arm64: 'arm64', x86_64: 'amd64' };
const TRIPLET: Record<KexecArch, string> = { arm64: 'aarch64-linux-gnu', x86_64: 'x86_64-linux-gnu' };
const ELF_MACHINE: Record<KexecArch, number> = { arm64: 0xb7, x86_64: 0x3e };
const SETUP_HINT = 'run scripts/setup-tests.sh';

const PROJECT_ROOT = PACKAGE_ROOT;
/** .cache/debian under the project root, where scripts/setup-tests.sh unpacks packages. */
export const DEBIAN_CACHE: string = join(PROJECT_ROOT, '.cache', 'debian');

/** Unpacked roots of every cached Debian package for `arch`, in name order. */
export function debianRoots(arch: KexecArch): string[] {
  const dir = join(DEBIAN_CACHE, DEB_ARCH[arch]);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((p) => join(dir, p, 'root')).filter((r) => existsSync(r));
}

/** The bookworm cloud kernel the test setup caches, the default first kernel. */
export function cachedFirstKernel(arch: KexecArch): string {
  const pkg = `linux-image-cloud-${DEB_ARCH[arch]}`;
  const boot = join(DEBIAN_CACHE, DEB_ARCH[arch], pkg, 'root', 'boot');
  const name = existsSync(boot) ? readdirSync(boot).find((f) => f.startsWith('vmlinuz-')) : undefined;
  if (!name) throw new GenError(`qemu --kexec: no first kernel: ${pkg} is not in ${DEBIAN_CACHE} (${SETUP_HINT}, or pass --first-kernel F)`);
  return join(boot, name);
}

/** Follows symlinks inside `root` (absolute targets are relative to it); undefined if absent. */
function resolveIn(root: string, rel: string): string | undefined {
  let path = rel;
  for (let hops = 0; hops < 40; hops++) {
    const host = join(root, path);
    const st = lstatSync(host, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (!st.isSymbolicLink()) return st.isFile() ? host : undefined;
    const target = readlinkSync(host);
    path = target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(path), target);
  }
  return undefined;
}

/** The first root that holds `rel` (a path without the leading slash). */
function findIn(roots: string[], rel: string): string | undefined {
  for (const root of roots) {
    const hit = resolveIn(root, rel);
    if (hit) return hit;
  }
  return undefined;
}

/** Directories the dynamic loader searches on Debian, in its order. */
function libraryDirs(arch: KexecArch): string[] {
  const t = TRIPLET[arch];
  return [`lib/${t}`, `usr/lib/${t}`, 'lib', 'usr/lib', 'lib64', 'usr/lib64'];
}

export interface KexecUserland {
  /** Files and their directories, ready for the cpio writer. */
  entries: CpioEntry[];
  /** Path of the kexec binary inside the archive, e.g. "sbin/kexec". */
  kexec: string;
  /** Library directories used, for LD_LIBRARY_PATH (the archive has no ld.so.cache). */
  libDirs: string[];
}

interface Collected { files: Map<string, Uint8Array>; libDirs: Set<string> }

function parseElf(data: Uint8Array, host: string, what: string): ElfDeps {
  try {
    return elfDeps(data, host);
  } catch (err) {
    if (err instanceof FormatError) throw new GenError(`qemu --kexec: ${what}: ${err.message}`);
    throw err;
  }
}

function readElf(arch: KexecArch, host: string, archivePath: string): { data: Uint8Array; deps: ElfDeps } {
  const data = readFileSync(host);
  const deps = parseElf(data, host, archivePath);
  if (deps.machine !== ELF_MACHINE[arch]) throw new GenError(`qemu --kexec: ${host} is not an ${arch} binary (ELF machine 0x${deps.machine.toString(16)})`);
  return { data, deps };
}

function findLibrary(arch: KexecArch, roots: string[], soname: string, neededBy: string): { rel: string; host: string } {
  for (const dir of libraryDirs(arch)) {
    const host = findIn(roots, `${dir}/${soname}`);
    if (host) return { rel: `${dir}/${soname}`, host };
  }
  throw new GenError(`qemu --kexec: ${soname}, needed by ${neededBy}, is in none of the kexec roots (${SETUP_HINT}, or add a --kexec-root that has it)`);
}

/** Adds `rel` and, recursively, its interpreter and every DT_NEEDED library. */
function collect(arch: KexecArch, roots: string[], rel: string, host: string, out: Collected): void {
  if (out.files.has(rel)) return;
  const { data, deps } = readElf(arch, host, rel);
  out.files.set(rel, data);
  if (deps.interp) {
    const interp = deps.interp.replace(/^\/+/, '');
    const at = findIn(roots, interp);
    if (!at) throw new GenError(`qemu --kexec: the dynamic loader ${deps.interp}, needed by ${rel}, is in none of the kexec roots (${SETUP_HINT})`);
    collect(arch, roots, interp, at, out);
  }
  for (const soname of deps.needed) {
    const lib = findLibrary(arch, roots, soname, rel);
    out.libDirs.add(posix.dirname(lib.rel));
    collect(arch, roots, lib.rel, lib.host, out);
  }
}

function findProgram(roots: string[], names: string[], what: string): { rel: string; host: string } {
  for (const rel of names) {
    const host = findIn(roots, rel);
    if (host) return { rel, host };
  }
  throw new GenError(`qemu --kexec: no ${names.map((n) => `/${n}`).join(' or ')} (${what}) in the kexec roots (${SETUP_HINT}, or pass --kexec-root DIR)`);
}

/** Every directory above the files, parents first, as cpio entries. */
function directories(paths: string[]): CpioEntry[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let d = dirname(p); d !== '.' && d !== '/'; d = dirname(d)) dirs.add(d);
  }
  return [...dirs].sort().map((name): CpioEntry => ({ type: 'dir', name }));
}

/**
 * busybox and kexec for `arch` from `roots` (default: the Debian cache), with the
 * dynamic loader and the DT_NEEDED closure at their real paths. A missing library is a
 * GenError naming its soname and who needs it.
 */
export function kexecUserland(arch: KexecArch, roots: string[] = debianRoots(arch)): KexecUserland {
  if (roots.length === 0) throw new GenError(`qemu --kexec: no kexec roots: none given, and no ${arch} packages in ${DEBIAN_CACHE} (${SETUP_HINT}, or pass --kexec-root DIR)`);
  const out: Collected = { files: new Map(), libDirs: new Set() };
  const kexec = findProgram(roots, ['sbin/kexec', 'usr/sbin/kexec'], 'Debian package kexec-tools');
  const busybox = findProgram(roots, ['bin/busybox', 'usr/bin/busybox'], 'Debian package busybox-static');
  collect(arch, roots, kexec.rel, kexec.host, out);
  // The /init script runs busybox as /bin/busybox whatever tree it came from.
  collect(arch, roots, 'bin/busybox', busybox.host, out);
  const files = [...out.files.entries()].map(([name, data]): CpioEntry => ({ type: 'file', name, mode: 0o755, data }));
  return { entries: [...directories([...out.files.keys()]), ...files], kexec: kexec.rel, libDirs: [...out.libDirs].sort() };
}
