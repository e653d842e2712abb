// newc ("070701") cpio writer, the format the Linux initramfs unpacker reads
// (Documentation/driver-api/early-userspace/buffer-format.rst). Output is a pure function
// of the entries: mtime is 0 and inode numbers follow entry order, so the same entries
// always give the same bytes (test fixtures are cached by content hash).
import { GenError } from '../errors.ts';

/** Fields every entry may set; ownership defaults to root. */
interface EntryBase {
  /** Path inside the archive, relative ("bin/sh", not "/bin/sh"), as the kernel expects. */
  name: string;
  /** Permission bits only (≤ 0o7777); the file-type bits come from `type`. */
  mode?: number;
  uid?: number;
  gid?: number;
}

export type CpioEntry =
  | (EntryBase & { type: 'dir' })
  | (EntryBase & { type: 'file'; data: Uint8Array })
  | (EntryBase & { type: 'symlink'; target: string })
  | (EntryBase & { type: 'chardev' | 'blockdev'; major: number; minor: number });

const MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER = 'TRAILER!!!';
const U32_MAX = 0xffff_ffff;

// st_mode file-type bits (octal, as in <sys/stat.h>).
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

const DEFAULT_MODE: Record<CpioEntry['type'], number> = {
  dir: 0o755,
  file: 0o644,
  symlink: 0o777,
  chardev: 0o600,
  blockdev: 0o600,
};

const TYPE_BITS: Record<CpioEntry['type'], number> = {
  dir: S_IFDIR,
  file: S_IFREG,
  symlink: S_IFLNK,
  chardev: S_IFCHR,
  blockdev: S_IFBLK,
};

/** The 13 numeric header fields of one newc record, in on-disk order after the magic. */
interface Header {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  fileSize: number;
  rdevMajor: number;
  rdevMinor: number;
  nameSize: number;
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

function fail(entry: { name: string }, what: string): never {
  throw new GenError(`cpio entry ${JSON.stringify(entry.name)}: ${what}`);
}

function checkU32(entry: CpioEntry, field: string, v: number, max: number = U32_MAX): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    fail(entry, `${field} ${v} is not an integer in 0..${max}`);
  }
}

function checkName(entry: CpioEntry, seen: Set<string>): void {
  const { name } = entry;
  if (name === '') fail(entry, 'empty name');
  if (name.includes('\0')) fail(entry, 'name contains NUL');
  if (name.startsWith('/')) fail(entry, 'absolute name; use a path relative to the archive root');
  if (name === TRAILER) fail(entry, 'name is reserved for the archive trailer');
  if (name.split('/').some((c) => c === '..' || c === '')) {
    fail(entry, "name has an empty or '..' component");
  }
  if (seen.has(name)) fail(entry, 'duplicate name');
  seen.add(name);
}

function validate(entry: CpioEntry, seen: Set<string>): void {
  checkName(entry, seen);
  if (entry.mode !== undefined) checkU32(entry, 'mode', entry.mode, 0o7777);
  if (entry.uid !== undefined) checkU32(entry, 'uid', entry.uid);
  if (entry.gid !== undefined) checkU32(entry, 'gid', entry.gid);
  switch (entry.type) {
    case 'file':
      if (entry.data.length > U32_MAX) fail(entry, 'file larger than 4 GiB');
      break;
    case 'symlink':
      if (entry.target === '' || entry.target.includes('\0')) fail(entry, 'empty symlink target or NUL in it');
      break;
    case 'chardev':
    case 'blockdev':
      checkU32(entry, 'major', entry.major);
      checkU32(entry, 'minor', entry.minor);
      break;
    case 'dir':
      break;
  }
}

/** The bytes stored after the name: file contents or the symlink target (no NUL). */
function payload(entry: CpioEntry): Uint8Array {
  if (entry.type === 'file') return entry.data;
  if (entry.type === 'symlink') return new TextEncoder().encode(entry.target);
  return new Uint8Array(0);
}

function encodeHeader(h: Header): string {
  // Field order of newc: ino mode uid gid nlink mtime filesize devmajor devminor
  // rdevmajor rdevminor namesize check. mtime, dev and check stay 0 for determinism.
  const fields = [h.ino, h.mode, h.uid, h.gid, h.nlink, 0, h.fileSize, 0, 0, h.rdevMajor, h.rdevMinor, h.nameSize, 0];
  return MAGIC + fields.map((f) => f.toString(16).padStart(8, '0')).join('');
}

/** One record: header + name + NUL padded to 4, then data padded to 4. */
function record(h: Omit<Header, 'nameSize' | 'fileSize'>, name: Uint8Array, data: Uint8Array): Uint8Array[] {
  const header = new TextEncoder().encode(encodeHeader({ ...h, nameSize: name.length + 1, fileSize: data.length }));
  const namePart = new Uint8Array(name.length + 1 + pad4(HEADER_SIZE + name.length + 1));
  namePart.set(name);
  return [header, namePart, data, new Uint8Array(pad4(data.length))];
}

/** Writes a complete newc archive, trailer included. Throws GenError on a bad entry. */
export function writeCpio(entries: CpioEntry[]): Uint8Array {
  const seen = new Set<string>();
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  entries.forEach((entry, i) => {
    validate(entry, seen);
    const isDev = entry.type === 'chardev' || entry.type === 'blockdev';
    const h = {
      ino: i + 1, // 0 is left to the trailer
      mode: TYPE_BITS[entry.type] | (entry.mode ?? DEFAULT_MODE[entry.type]),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      nlink: entry.type === 'dir' ? 2 : 1,
      rdevMajor: isDev ? entry.major : 0,
      rdevMinor: isDev ? entry.minor : 0,
    };
    parts.push(...record(h, enc.encode(entry.name), payload(entry)));
  });
  const trailer = { ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, rdevMajor: 0, rdevMinor: 0 };
  parts.push(...record(trailer, enc.encode(TRAILER), new Uint8Array(0)));
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
