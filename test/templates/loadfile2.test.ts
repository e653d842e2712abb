// templates/loadfile2.ts on the host: the initrd handle as the Linux EFI stub finds it
// (LocateDevicePath on VenMedia(INITRD)/End), sizes it and loads it.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write, readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { callptr, guid } from '../../templates/rt/intrinsics.ts';
import { SUCCESS, INVALID, UNSUPPORTED, TOO_SMALL, NOT_FOUND, ALREADY_STARTED } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
let lf: Record<string, Fn>;
beforeAll(async () => { lf = (await loadTemplate('test/templates/harness/protocols.ts')) as Record<string, Fn>; });

const LOAD_FILE2 = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');
const DEVICE_PATH = guid('09576e91-6d3f-11d2-8e39-00a0c969723b');
const INITRD_PATH = Uint8Array.from([
  0x04, 0x03, 0x14, 0x00, 0x27, 0xe4, 0x68, 0x55, 0xfc, 0x68, 0x3d, 0x4f, 0xac, 0x74,
  0xca, 0x55, 0x52, 0x31, 0xcc, 0x68, 0x7f, 0xff, 0x04, 0x00,
]);
const INITRD = 0x4000_0000n;
const DATA = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff);
const QUERY = 0x20_0003n;
const OUT = 0x21_0000n;
const BUF = 0x30_0000n;

/** What the stub does first: LocateDevicePath(LoadFile2, initrd path) and HandleProtocol. */
function find(): [bigint, bigint, bigint] {
  writeBytes(QUERY, INITRD_PATH);
  write(OUT, 8, QUERY);
  const s = lf.hdLocateDevicePath(LOAD_FILE2, OUT, OUT + 8n);
  if (s !== SUCCESS) return [s, 0n, 0n];
  expect(lf.hdHandleProtocol(read(OUT + 8n, 8), LOAD_FILE2, OUT + 0x10n)).toBe(SUCCESS);
  return [s, read(OUT + 0x10n, 8), read(OUT, 8)];
}

function loadFile(iface: bigint, path: bigint, bootPolicy: bigint, sizePtr: bigint, buffer: bigint): bigint {
  return callptr(read(iface, 8), iface, path, bootPolicy, sizePtr, buffer);
}

beforeEach(() => {
  lf.hdReset();
  writeBytes(INITRD, DATA);
  expect(lf.initrdInstall(INITRD, BigInt(DATA.length))).toBe(SUCCESS);
});

describe('the initrd through LoadFile2', () => {
  it('is found by its device path, sized with a NULL buffer, then copied', () => {
    const [s, iface, rest] = find();
    expect(s).toBe(SUCCESS);
    expect(read(OUT + 8n, 8)).toBe(lf.initrdHandle());
    expect(rest).toBe(QUERY + 20n); // the End node
    write(OUT + 0x18n, 8, 0n);
    expect(loadFile(iface, rest, 0n, OUT + 0x18n, 0n)).toBe(TOO_SMALL);
    expect(read(OUT + 0x18n, 8)).toBe(5000n);
    expect(loadFile(iface, rest, 0n, OUT + 0x18n, BUF)).toBe(SUCCESS);
    expect(read(OUT + 0x18n, 8)).toBe(5000n);
    expect(Buffer.from(readBytes(BUF, DATA.length)).equals(Buffer.from(DATA))).toBe(true);
  });

  it('carries exactly the 24-byte VenMedia(INITRD)/End device path', () => {
    expect(lf.hdHandleProtocol(lf.initrdHandle(), DEVICE_PATH, OUT)).toBe(SUCCESS);
    expect(Array.from(readBytes(read(OUT, 8), 24))).toEqual(Array.from(INITRD_PATH));
  });

  it('refuses boot policy, other paths, NULL sizes and short buffers', () => {
    const [, iface, rest] = find();
    write(OUT + 0x18n, 8, 0x10000n);
    expect(loadFile(iface, rest, 1n, OUT + 0x18n, BUF)).toBe(UNSUPPORTED);
    expect(loadFile(iface, rest, 0x100n, OUT + 0x18n, BUF)).toBe(SUCCESS); // a BOOLEAN: the low byte
    expect(loadFile(iface, QUERY, 0n, OUT + 0x18n, BUF)).toBe(NOT_FOUND);
    expect(loadFile(iface, 0n, 0n, OUT + 0x18n, BUF)).toBe(INVALID);
    expect(loadFile(iface, rest, 0n, 0n, BUF)).toBe(INVALID);
    write(OUT + 0x18n, 8, 4999n);
    write(BUF, 1, 0xeen);
    expect(loadFile(iface, rest, 0n, OUT + 0x18n, BUF)).toBe(TOO_SMALL);
    expect(read(OUT + 0x18n, 8)).toBe(5000n);
  });

  it('is installed once, and goes away again', () => {
    expect(lf.initrdInstall(INITRD, 1n)).toBe(ALREADY_STARTED);
    const dp = lf.initrdHandle();
    expect(lf.hdHandleProtocol(dp, DEVICE_PATH, OUT)).toBe(SUCCESS);
    write(OUT + 8n, 8, 0n);
    expect(lf.hdInstallMultiple(OUT + 8n, DEVICE_PATH, read(OUT, 8), 0n, ...Array<bigint>(12).fill(7n))).toBe(ALREADY_STARTED);
    expect(lf.initrdUninstall()).toBe(SUCCESS);
    expect(lf.initrdHandle()).toBe(0n);
    expect(find()[0]).toBe(NOT_FOUND);
    expect(lf.initrdUninstall()).toBe(NOT_FOUND);
    expect(lf.initrdInstall(INITRD, BigInt(DATA.length))).toBe(SUCCESS);
    expect(find()[0]).toBe(SUCCESS);
  });
});
