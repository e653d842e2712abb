// newc writer: Debian's cpio must read what we write, and output is byte-for-byte stable.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GenError } from '../../generator/errors.ts';
import { writeCpio, type CpioEntry } from '../../generator/formats/cpio.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const sample: CpioEntry[] = [
  { type: 'dir', name: 'bin' },
  { type: 'dir', name: 'dev', mode: 0o700, uid: 1000, gid: 100 },
  { type: 'file', name: 'bin/hello', mode: 0o755, data: text('#!/bin/sh\necho hi\n') },
  { type: 'file', name: 'empty', data: new Uint8Array(0) },
  { type: 'symlink', name: 'bin/sh', target: 'busybox' },
  { type: 'chardev', name: 'dev/console', major: 5, minor: 1 },
  { type: 'blockdev', name: 'dev/vda', mode: 0o660, major: 254, minor: 0 },
];

function cpio(args: string[], input: Uint8Array): string {
  const r = spawnSync('cpio', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cpio ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('writeCpio', () => {
  it('is listed by Debian cpio with the right names, types and device numbers', () => {
    const listing = cpio(['-itvn', '--quiet'], writeCpio(sample)).trim().split('\n');
    const rows = listing.map((l) => l.split(/\s+/));
    expect(rows.map((r) => r[0])).toEqual([
      'drwxr-xr-x', 'drwx------', '-rwxr-xr-x', '-rw-r--r--', 'lrwxrwxrwx', 'crw-------', 'brw-rw----',
    ]);
    expect(listing[0]).toMatch(/ bin$/);
    expect(listing[1]).toMatch(/^drwx------\s+2\s+1000\s+100\s/);
    expect(listing[2]).toMatch(/\s18\s.* bin\/hello$/);
    expect(listing[4]).toMatch(/ bin\/sh -> busybox$/);
    expect(listing[5]).toMatch(/\s5,\s+1\s.* dev\/console$/);
    expect(listing[6]).toMatch(/\s254,\s+0\s.* dev\/vda$/);
  });

  it('stores file contents that cpio extracts unchanged', () => {
    const out = cpio(['-i', '--quiet', '--to-stdout', 'bin/hello'], writeCpio(sample));
    expect(out).toBe('#!/bin/sh\necho hi\n');
  });

  it('is byte-identical across runs and matches the known digest', () => {
    const a = writeCpio(sample);
    const b = writeCpio(structuredClone(sample));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.length % 4).toBe(0);
    // Pinned so that any change of layout (padding, field order, inode numbering) shows.
    expect(createHash('sha256').update(a).digest('hex')).toMatchInlineSnapshot(`"b0058b029ea53b93d7ad0042b5840905a81b70ea507e925e4d2177ffb378536f"`);
  });

  it('lays out one record exactly as newc specifies', () => {
    const bytes = writeCpio([{ type: 'file', name: 'a', data: text('xyz') }]);
    const s = new TextDecoder('latin1').decode(bytes);
    // magic, ino 1, mode 0100644, uid, gid, nlink 1, mtime 0, size 3, dev 0/0, rdev 0/0, namesize 2, check 0
    const header = '070701' + ['1', '81a4', '0', '0', '1', '0', '3', '0', '0', '0', '0', '2', '0']
      .map((f) => f.padStart(8, '0')).join('');
    expect(s.slice(0, 110)).toBe(header);
    // 110 + 2 bytes of name = 112, already aligned; data 3 bytes + 1 pad.
    expect(s.slice(110, 112)).toBe('a\0');
    expect(s.slice(112, 116)).toBe('xyz\0');
    expect(s.slice(116 + 110, 116 + 121)).toBe('TRAILER!!!\0');
    expect(bytes.length).toBe(116 + 112 + 12); // trailer: 110 + 11 name bytes + 3 pad
  });

  it.each([
    ['empty name', { type: 'dir', name: '' }],
    ['NUL in name', { type: 'dir', name: 'a\0b' }],
    ['absolute name', { type: 'dir', name: '/bin' }],
    ['dot-dot component', { type: 'dir', name: 'a/../b' }],
    ['trailer name', { type: 'dir', name: 'TRAILER!!!' }],
    ['mode with type bits', { type: 'dir', name: 'd', mode: 0o40755 }],
    ['negative uid', { type: 'dir', name: 'd', uid: -1 }],
    ['empty symlink target', { type: 'symlink', name: 's', target: '' }],
    ['fractional minor', { type: 'chardev', name: 'c', major: 1, minor: 1.5 }],
  ] as [string, CpioEntry][])('rejects %s with GenError', (_what, entry) => {
    expect(() => writeCpio([entry])).toThrow(GenError);
  });

  it('rejects duplicate names', () => {
    expect(() => writeCpio([{ type: 'dir', name: 'x' }, { type: 'dir', name: 'x' }])).toThrow(/duplicate/);
  });
});
