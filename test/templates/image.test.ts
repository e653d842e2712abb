// templates/image.ts on the host: LoadImage from a buffer and through LoadFile2, the
// LoadedImage protocols, and StartImage/Exit/UnloadImage with entries that are host
// functions (callptr only reaches functions registered with fnaddr).
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write, readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { guid, guidBytes, fnaddr, callptr, takeConsole, setArchParams } from '../../templates/rt/intrinsics.ts';
import { craftPe } from '../formats/craft.ts';
import { SUCCESS, LOAD_ERROR, INVALID, UNSUPPORTED, TOO_SMALL, NOT_FOUND, ABORTED, readMemoryMap, type MapEntry } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
let t: Record<string, Fn>;
beforeAll(async () => { t = (await loadTemplate('test/templates/harness/image-services.ts')) as Record<string, Fn>; });

const [LOADER_CODE, BS_DATA, CONVENTIONAL] = [1n, 4n, 7n];
const LOADED_IMAGE = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');
const LOADED_IMAGE_DP = guid('bc62157e-3e33-4fec-9920-2d3b36d750df');
const LOAD_FILE2 = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');
const DEVICE_PATH = guid('09576e91-6d3f-11d2-8e39-00a0c969723b');

const RAM = 0x8000_0000n;
const RAM_PAGES = 0x400n; // 4 MiB: images and two 1 MiB stacks
const SRC = 0x1000_0000n;
const OUT = 0x30_0000n;
const MAP = 0x31_0000n;
const DP = 0x32_0000n;
const IFACE = 0x33_0000n;

const image = craftPe({ sections: [{ name: '.text', size: 0x200, fill: 0xc3 }, { name: '.data', size: 0x100, vsize: 0x1100 }] }).data;

const venMedia = (g: string): number[] => [0x04, 0x03, 0x14, 0x00, ...(guidBytes(g) ?? [])];
const END = [0x7f, 0xff, 0x04, 0x00];
const DEVICE_NODE = venMedia('e565a30d-47da-4dbd-b354-9bb5c84f8be2');
const FILE_NODE = venMedia('55c5d1f8-04cd-46b5-8a20-e56cbb3052d0');

function loadImage(parent: bigint, dp: bigint, src = SRC, size = BigInt(image.length)): [bigint, bigint] {
  write(OUT, 8, 0xdeadn);
  const s = t.efiLoadImage(0n, parent, dp, src, size, OUT);
  return [s, read(OUT, 8)];
}

function protocol(h: bigint, g: bigint): [bigint, bigint] {
  const s = t.hdHandleProtocol(h, g, OUT + 8n);
  return [s, read(OUT + 8n, 8)];
}

const memoryMap = (): MapEntry[] => readMemoryMap(t.mmGetMap, MAP);
const pagesOf = (type: bigint): bigint => memoryMap().filter((e) => e.type === type).reduce((n, e) => n + e.pages, 0n);
const EMPTY: MapEntry[] = [{ type: CONVENTIONAL, start: RAM, pages: RAM_PAGES }];

/** Loads `image` and points its entry at the host function `entry`. */
function loadWithEntry(entry: (h: bigint, st: bigint) => bigint, parent = 0n): bigint {
  const [s, h] = loadImage(parent, 0n);
  expect(s).toBe(SUCCESS);
  expect(t.imgSetEntryForTest(h, fnaddr(entry))).toBe(SUCCESS);
  return h;
}

beforeEach(() => {
  t.mmReset();
  t.mmAdd(RAM, RAM_PAGES, CONVENTIONAL, 8n);
  t.hdReset();
  t.imgReset();
  writeBytes(SRC, image);
  takeConsole();
});
afterEach(() => setArchParams());

describe('LoadImage', () => {
  it('loads from a buffer onto a new handle with LoadedImage and LoadedImageDevicePath', () => {
    writeBytes(DP, Uint8Array.from([...FILE_NODE, ...END]));
    const [, parent] = (() => { write(OUT, 8, 0n); const s = t.hdInstall(OUT, DEVICE_PATH, 0x1234n); return [s, read(OUT, 8)]; })();
    const [s, h] = loadImage(parent, DP);
    expect(s).toBe(SUCCESS);
    expect(t.isHandle(h)).toBe(true);
    const [ps, li] = protocol(h, LOADED_IMAGE);
    expect(ps).toBe(SUCCESS);
    expect(t.imgLoadedImage(h)).toBe(li);
    const base = read(li + 0x40n, 8);
    expect(read(li, 4)).toBe(0x1000n);
    expect(read(li + 0x08n, 8)).toBe(parent);
    expect(read(li + 0x10n, 8)).toBe(t.systemTable());
    expect(read(li + 0x18n, 8)).toBe(0n);
    const path = read(li + 0x20n, 8);
    expect(path).not.toBe(DP);
    expect(readBytes(path, 24)).toEqual(Uint8Array.from([...FILE_NODE, ...END]));
    expect([read(li + 0x30n, 4), read(li + 0x38n, 8)]).toEqual([0n, 0n]);
    expect(readBytes(base, 0x400)).toEqual(image.subarray(0, 0x400));
    expect(read(li + 0x48n, 8)).toBe(0x4000n); // .data ends at 0x3100
    expect([read(li + 0x50n, 4), read(li + 0x54n, 4)]).toEqual([LOADER_CODE, 2n]);
    expect(callptr(read(li + 0x58n, 8), h)).toBe(UNSUPPORTED);
    expect(protocol(h, LOADED_IMAGE_DP)).toEqual([SUCCESS, path]);
  });

  it('leaves FilePath NULL and installs no LoadedImageDevicePath without a device path', () => {
    const [s, h] = loadImage(0n, 0n);
    expect(s).toBe(SUCCESS);
    expect(read(t.imgLoadedImage(h) + 0x20n, 8)).toBe(0n);
    expect(protocol(h, LOADED_IMAGE_DP)).toEqual([UNSUPPORTED, 0n]);
    expect(pagesOf(LOADER_CODE)).toBe(4n);
  });

  it('refuses bad arguments and bad images, leaving nothing behind', () => {
    expect(t.efiLoadImage(0n, 0n, 0n, SRC, BigInt(image.length), 0n)).toBe(INVALID);
    expect(loadImage(0x1234n, 0n)[0]).toBe(INVALID);
    expect(loadImage(0n, 0n, 0n)[0]).toBe(NOT_FOUND);
    writeBytes(DP, Uint8Array.from([0x04, 0x03, 0x02, 0x00]));
    expect(loadImage(0n, DP)[0]).toBe(INVALID); // a node shorter than its header
    const [s, h] = loadImage(0n, 0n, SRC, 0x100n);
    expect([s, h]).toEqual([LOAD_ERROR, 0xdeadn]);
    expect(takeConsole()).toMatch(/^gen-purgatory: LoadImage: .*\n$/);
    expect(memoryMap()).toEqual(EMPTY);
  });

  it('runs out of image records cleanly', () => {
    const handles = Array.from({ length: 8 }, () => loadImage(0n, 0n));
    expect(handles.every(([s]) => s === SUCCESS)).toBe(true);
    const code = pagesOf(LOADER_CODE);
    expect(loadImage(0n, 0n)[0]).toBe(0x8000_0000_0000_0009n);
    expect(pagesOf(LOADER_CODE)).toBe(code);
    for (const [, h] of handles) expect(t.efiUnloadImage(h)).toBe(SUCCESS);
    expect(memoryMap()).toEqual(EMPTY);
  });
});

describe('LoadImage through a device path (LoadFile2)', () => {
  const calls: bigint[][] = [];

  /** LoadFile as Linux's initrd and zboot loaders implement it: size probe, then the data. */
  function loadFile(self: bigint, path: bigint, bootPolicy: bigint, sizePtr: bigint, buffer: bigint): bigint {
    calls.push([self, path, bootPolicy, read(sizePtr, 8), buffer]);
    if (buffer === 0n || read(sizePtr, 8) < BigInt(image.length)) {
      write(sizePtr, 8, BigInt(image.length));
      return TOO_SMALL;
    }
    writeBytes(buffer, image);
    write(sizePtr, 8, BigInt(image.length));
    return SUCCESS;
  }

  /** A handle with the device path VenMedia(zboot)/End and LoadFile2 at IFACE. */
  function installDevice(): bigint {
    writeBytes(DP + 0x100n, Uint8Array.from([...DEVICE_NODE, ...END]));
    write(IFACE, 8, fnaddr(loadFile));
    write(OUT, 8, 0n);
    expect(t.hdInstall(OUT, DEVICE_PATH, DP + 0x100n)).toBe(SUCCESS);
    const h = read(OUT, 8);
    expect(t.hdInstall(OUT, LOAD_FILE2, IFACE)).toBe(SUCCESS);
    return h;
  }

  beforeEach(() => { calls.length = 0; });

  it('finds the LoadFile2 handle, probes the size, reads the file, loads it and frees the buffer', () => {
    const device = installDevice();
    writeBytes(DP, Uint8Array.from([...DEVICE_NODE, ...FILE_NODE, ...END]));
    const [s, h] = loadImage(0n, DP, 0n, 0n);
    expect(s).toBe(SUCCESS);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual([IFACE, DP + 20n, 0n, 0n, 0n]);
    expect(calls[1].slice(0, 4)).toEqual([IFACE, DP + 20n, 0n, BigInt(image.length)]);
    const li = t.imgLoadedImage(h);
    expect(read(li + 0x18n, 8)).toBe(device);
    expect(readBytes(read(li + 0x40n, 8), 0x400)).toEqual(image.subarray(0, 0x400));
    expect(pagesOf(BS_DATA)).toBe(1n); // only the device path copy; the file buffer is gone
    expect(t.efiUnloadImage(h)).toBe(SUCCESS);
    expect(memoryMap()).toEqual(EMPTY);
  });

  it('reports NOT_FOUND when no LoadFile2 handle matches', () => {
    installDevice();
    writeBytes(DP, Uint8Array.from([...FILE_NODE, ...END]));
    expect(loadImage(0n, DP, 0n, 0n)[0]).toBe(NOT_FOUND);
    expect(calls).toHaveLength(0);
    expect(memoryMap()).toEqual(EMPTY);
  });
});

describe('StartImage, Exit and UnloadImage', () => {
  it('runs the entry with the handle and system table and returns its status; the stack is freed', () => {
    const seen: bigint[] = [];
    const h = loadWithEntry((handle, st) => {
      seen.push(handle, st, pagesOf(BS_DATA));
      return 0x1234n;
    });
    const before = memoryMap();
    expect(t.efiStartImage(h, 0n, 0n)).toBe(0x1234n);
    expect(seen).toEqual([h, t.systemTable(), 0x100n]); // a 1 MiB stack while it runs
    expect(memoryMap()).toEqual(before);
    expect(t.efiStartImage(h, 0n, 0n)).toBe(INVALID); // it already ran
    expect(t.efiUnloadImage(h)).toBe(SUCCESS);
    expect(t.isHandle(h)).toBe(false);
    expect(memoryMap()).toEqual(EMPTY);
  });

  it('returns the status Exit passes from deep inside the image, with its exit data', () => {
    let after = false;
    const h = loadWithEntry((handle) => {
      (function deeper(): void {
        write(OUT + 0x40n, 8, 0n);
        expect(t.poolAllocate(BS_DATA, 0x20n, OUT + 0x40n)).toBe(SUCCESS);
        t.efiExit(handle, ABORTED, 0x20n, read(OUT + 0x40n, 8));
        after = true;
      })();
      return SUCCESS;
    });
    write(OUT + 0x50n, 16, 0n);
    expect(t.efiStartImage(h, OUT + 0x50n, OUT + 0x58n)).toBe(ABORTED);
    expect(after).toBe(false);
    expect(read(OUT + 0x50n, 8)).toBe(0x20n);
    expect(read(OUT + 0x58n, 8)).toBe(read(OUT + 0x40n, 8));
    expect(t.poolFree(read(OUT + 0x58n, 8))).toBe(SUCCESS);
    expect(t.efiUnloadImage(h)).toBe(SUCCESS);
    expect(memoryMap()).toEqual(EMPTY);
  });

  it('nests: an image loads and starts another, which exits back to it', () => {
    const log: string[] = [];
    let inner = 0n;
    const outer = loadWithEntry((self) => {
      inner = loadWithEntry((handle, st) => {
        log.push(`inner ${handle === inner} ${st === t.systemTable()}`);
        expect(t.efiUnloadImage(self)).toBe(UNSUPPORTED); // running
        expect(t.efiUnloadImage(handle)).toBe(UNSUPPORTED);
        expect(t.efiExit(self, 1n, 0n, 0n)).toBe(INVALID); // not the image running now
        expect(pagesOf(BS_DATA)).toBe(0x200n); // two stacks
        t.efiExit(handle, 7n, 0n, 0n);
        return 0n;
      }, self);
      expect(read(t.imgLoadedImage(inner) + 8n, 8)).toBe(self);
      log.push(`inner returned ${t.efiStartImage(inner, 0n, 0n)}`);
      expect(t.efiUnloadImage(inner)).toBe(SUCCESS);
      return 0x42n;
    });
    expect(t.efiStartImage(outer, 0n, 0n)).toBe(0x42n);
    expect(log).toEqual(['inner true true', 'inner returned 7']);
    expect(t.efiUnloadImage(outer)).toBe(SUCCESS);
    expect(memoryMap()).toEqual(EMPTY);
  });

  it('Exit unloads an image that never started; unknown handles are refused', () => {
    const [, h] = loadImage(0n, 0n);
    expect(t.efiExit(h, 0n, 0n, 0n)).toBe(SUCCESS);
    expect(t.isHandle(h)).toBe(false);
    expect(memoryMap()).toEqual(EMPTY);
    expect(t.efiExit(h, 0n, 0n, 0n)).toBe(INVALID);
    expect(t.efiUnloadImage(h)).toBe(INVALID);
    expect(t.efiStartImage(h, 0n, 0n)).toBe(INVALID);
    expect(t.imgLoadedImage(h)).toBe(0n);
  });
});
