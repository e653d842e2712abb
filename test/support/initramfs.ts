// The initramfs every QEMU boot test uses: busybox-static plus an /init that prints a
// marker line and the kernel command line, then powers the machine off so QEMU exits by
// itself. Built with our own cpio writer and cached under .cache/fixtures by content hash.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeCpio, type CpioEntry } from '../../generator/formats/cpio.ts';
import { busybox, CACHE, type Arch } from './debian.ts';

/** The line /init prints once userspace runs; tests look for it on the console. */
export const INIT_MARKER: string = 'GEN-PURGATORY-MARKER: init reached';

/** /init prints this prefix followed by /proc/cmdline. */
export const CMDLINE_PREFIX: string = 'cmdline: ';

const FIXTURES = join(CACHE, 'fixtures');

// Only busybox and sh exist as names, so every other applet is called as
// `/bin/busybox APPLET`. The console loglevel is lowered before the marker so that a
// late kernel message cannot land in the middle of the marker line.
const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null || true
/bin/busybox dmesg -n 1 2>/dev/null || true
echo "${INIT_MARKER}"
printf '%s' "${CMDLINE_PREFIX}"
/bin/busybox cat /proc/cmdline
/bin/busybox poweroff -f
echo o > /proc/sysrq-trigger
`;

function entries(arch: Arch): CpioEntry[] {
  const dirs = ['bin', 'dev', 'etc', 'proc', 'sbin', 'sys', 'tmp'];
  return [
    ...dirs.map((name): CpioEntry => ({ type: 'dir', name, mode: name === 'tmp' ? 0o1777 : 0o755 })),
    { type: 'file', name: 'bin/busybox', mode: 0o755, data: readFileSync(busybox(arch)) },
    { type: 'symlink', name: 'bin/sh', target: 'busybox' },
    { type: 'chardev', name: 'dev/console', mode: 0o600, major: 5, minor: 1 },
    { type: 'file', name: 'init', mode: 0o755, data: new TextEncoder().encode(INIT_SCRIPT) },
  ];
}

/** The gzip-compressed newc archive. gzip from node:zlib writes mtime 0, so it is deterministic. */
export function initramfsBytes(arch: Arch): Uint8Array {
  return gzip(writeCpio(entries(arch)));
}

const gzip = (data: Uint8Array): Uint8Array => gzipSync(data, { level: 9 });

/**
 * Path of the cached initramfs for `arch`, built if missing. The name carries a hash of
 * the content, so a changed busybox or /init gives a new file and stale ones are never used.
 */
export function buildInitramfs(arch: Arch): string {
  // Hash the uncompressed archive: cheaper than compressing just to find the name.
  const cpio = writeCpio(entries(arch));
  const hash = createHash('sha256').update(cpio).digest('hex').slice(0, 16);
  const path = join(FIXTURES, `initramfs-${arch}-${hash}.cpio.gz`);
  if (existsSync(path)) return path;
  mkdirSync(FIXTURES, { recursive: true });
  // Write then rename: test workers may build the same file concurrently.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, gzip(cpio));
  renameSync(tmp, path);
  return path;
}
