// templates/handles.ts on the host: the protocol database the boot services will use.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write } from '../../templates/rt/memory.ts';
import { guid } from '../../templates/rt/intrinsics.ts';

type Fn = (...a: bigint[]) => bigint | boolean;
let hd: Record<string, Fn>;
beforeAll(async () => { hd = (await loadTemplate('templates/handles.ts')) as Record<string, Fn>; });

const SUCCESS = 0n;
const INVALID = 0x8000_0000_0000_0002n;
const UNSUPPORTED = 0x8000_0000_0000_0003n;
const TOO_SMALL = 0x8000_0000_0000_0005n;
const NOT_FOUND = 0x8000_0000_0000_000en;
const LOADED_IMAGE = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');
const LOAD_FILE2 = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');
const DEVICE_PATH = guid('09576e91-6d3f-11d2-8e39-00a0c969723b');
const OUT = 0x20_0000n;

function install(handle: bigint, g: bigint, iface: bigint): [bigint, bigint] {
  write(OUT, 8, handle);
  const s = hd.hdInstall(OUT, g, iface) as bigint;
  return [s, read(OUT, 8)];
}

function handleProtocol(h: bigint, g: bigint): [bigint, bigint] {
  const s = hd.hdHandleProtocol(h, g, OUT + 8n) as bigint;
  return [s, read(OUT + 8n, 8)];
}

function locateHandle(type: bigint, g: bigint): [bigint, bigint[]] {
  write(OUT + 0x10n, 8, 0x100n);
  const s = hd.hdLocateHandle(type, g, 0n, OUT + 0x10n, OUT + 0x100n) as bigint;
  const n = Number(read(OUT + 0x10n, 8) / 8n);
  return [s, s === SUCCESS ? Array.from({ length: n }, (_, i) => read(OUT + 0x100n + BigInt(8 * i), 8)) : []];
}

beforeEach(() => { hd.hdReset(); });

describe('protocol database', () => {
  it('creates handles, adds protocols to them, and finds them again', () => {
    const [s1, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(s1).toBe(SUCCESS);
    expect(hd.isHandle(a)).toBe(true);
    expect(install(a, DEVICE_PATH, 0x2000n)).toEqual([SUCCESS, a]);
    const [, b] = install(0n, LOAD_FILE2, 0x3000n);
    expect(b).not.toBe(a);
    expect(handleProtocol(a, DEVICE_PATH)).toEqual([SUCCESS, 0x2000n]);
    expect(handleProtocol(b, LOADED_IMAGE)).toEqual([UNSUPPORTED, 0n]);
    expect(hd.hdLocateProtocol(LOAD_FILE2, 0n, OUT + 8n)).toBe(SUCCESS);
    expect(read(OUT + 8n, 8)).toBe(0x3000n);
    expect(locateHandle(2n, DEVICE_PATH)).toEqual([SUCCESS, [a]]);
    expect(locateHandle(0n, 0n)).toEqual([SUCCESS, [a, b]]);
  });

  it('refuses a second copy of a protocol and bad handles', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(install(a, LOADED_IMAGE, 0x1100n)[0]).toBe(INVALID);
    expect(install(a + 8n, DEVICE_PATH, 0x1100n)[0]).toBe(INVALID);
    expect(install(0x1234n, DEVICE_PATH, 0x1100n)[0]).toBe(INVALID);
    expect(hd.hdHandleProtocol(0x1234n, LOADED_IMAGE, OUT)).toBe(INVALID);
    expect(hd.hdInstall(0n, LOADED_IMAGE, 0n)).toBe(INVALID);
  });

  it('uninstalls only the matching interface, and drops a handle left empty', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    install(a, DEVICE_PATH, 0x2000n);
    expect(hd.hdUninstall(a, LOADED_IMAGE, 0x9999n)).toBe(NOT_FOUND);
    expect(hd.hdUninstall(a, LOADED_IMAGE, 0x1000n)).toBe(SUCCESS);
    expect(handleProtocol(a, DEVICE_PATH)).toEqual([SUCCESS, 0x2000n]);
    expect(hd.hdUninstall(a, DEVICE_PATH, 0x2000n)).toBe(SUCCESS);
    expect(hd.isHandle(a)).toBe(false);
    expect(locateHandle(0n, 0n)[0]).toBe(NOT_FOUND);
  });

  it('answers LocateProtocol with NULL and EFI_NOT_FOUND when nothing has it', () => {
    write(OUT + 8n, 8, 0xdeadn);
    expect(hd.hdLocateProtocol(LOAD_FILE2, 0n, OUT + 8n)).toBe(NOT_FOUND);
    expect(read(OUT + 8n, 8)).toBe(0n);
  });

  it('sizes LocateHandle buffers and rejects notify searches', () => {
    install(0n, LOADED_IMAGE, 0x1000n);
    install(0n, LOADED_IMAGE, 0x1001n);
    write(OUT + 0x10n, 8, 8n);
    expect(hd.hdLocateHandle(2n, LOADED_IMAGE, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(TOO_SMALL);
    expect(read(OUT + 0x10n, 8)).toBe(16n);
    expect(hd.hdLocateHandle(1n, LOADED_IMAGE, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(INVALID);
    expect(hd.hdLocateHandle(2n, 0n, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(INVALID);
  });
});
