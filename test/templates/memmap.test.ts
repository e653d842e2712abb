// templates/memmap.ts on the host: the UEFI memory map that AllocatePages, FreePages
// and GetMemoryMap will stand on.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write } from '../../templates/rt/memory.ts';
import { SUCCESS, INVALID, TOO_SMALL, OUT_OF_RESOURCES, NOT_FOUND } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
let mm: Record<string, Fn>;
beforeAll(async () => { mm = (await loadTemplate('templates/memmap.ts')) as Record<string, Fn>; });

const [CONVENTIONAL, RESERVED, LOADER_DATA, BS_DATA] = [7n, 0n, 2n, 4n];
const [ANY, MAX, ADDRESS] = [0n, 1n, 2n];
const WB = 8n;
const RAM = 0x4000_0000n;
const PAGES = 0x4_0000n; // 1 GiB
const SCRATCH = 0x10_0000n; // simulated memory for the out-parameters
const [SIZE, KEY, DSIZE, VER, MAP] = [SCRATCH, SCRATCH + 8n, SCRATCH + 16n, SCRATCH + 24n, SCRATCH + 0x100n];

interface Desc { type: bigint; start: bigint; pages: bigint; attr: bigint }

function map(): Desc[] {
  write(SIZE, 8, 0x10000n);
  expect(mm.mmGetMap(SIZE, MAP, KEY, DSIZE, VER)).toBe(SUCCESS);
  const n = read(SIZE, 8) / 48n;
  return Array.from({ length: Number(n) }, (_, i) => {
    const d = MAP + BigInt(i) * 48n;
    return { type: read(d, 4), start: read(d + 8n, 8), pages: read(d + 24n, 8), attr: read(d + 32n, 8) };
  });
}

function allocate(kind: bigint, type: bigint, pages: bigint, addr = 0n): [bigint, bigint] {
  write(SCRATCH + 0x40n, 8, addr);
  const status = mm.mmAllocate(kind, type, pages, SCRATCH + 0x40n);
  return [status, read(SCRATCH + 0x40n, 8)];
}

beforeEach(() => {
  mm.mmReset();
  expect(mm.mmAdd(RAM, PAGES, CONVENTIONAL, WB)).toBe(SUCCESS);
});

describe('memory map', () => {
  it('splits RAM around a reservation laid over it, and reports it through GetMemoryMap', () => {
    expect(mm.mmAdd(RAM + 0x10_0000n, 0x10n, RESERVED, WB)).toBe(SUCCESS);
    expect(map()).toEqual([
      { type: CONVENTIONAL, start: RAM, pages: 0x100n, attr: WB },
      { type: RESERVED, start: RAM + 0x10_0000n, pages: 0x10n, attr: WB },
      { type: CONVENTIONAL, start: RAM + 0x11_0000n, pages: PAGES - 0x110n, attr: WB },
    ]);
    expect(read(DSIZE, 8)).toBe(48n);
    expect(read(VER, 4)).toBe(1n);
  });

  it('answers a short buffer with the size it needs', () => {
    write(SIZE, 8, 0n);
    expect(mm.mmGetMap(SIZE, 0n, KEY, DSIZE, VER)).toBe(TOO_SMALL);
    expect(read(SIZE, 8)).toBe(48n);
    write(SIZE, 8, 47n);
    expect(mm.mmGetMap(SIZE, MAP, KEY, DSIZE, VER)).toBe(TOO_SMALL);
  });

  it('allocates any pages from the top, below a maximum, and at an exact address', () => {
    expect(allocate(ANY, BS_DATA, 4n)).toEqual([SUCCESS, RAM + PAGES * 0x1000n - 0x4000n]);
    const [s, below] = allocate(MAX, LOADER_DATA, 2n, RAM + 0x20_0000n - 1n);
    expect(s).toBe(SUCCESS);
    expect(below).toBe(RAM + 0x20_0000n - 0x2000n);
    expect(allocate(ADDRESS, LOADER_DATA, 1n, RAM + 0x5000n)).toEqual([SUCCESS, RAM + 0x5000n]);
    expect(allocate(ADDRESS, LOADER_DATA, 1n, RAM + 0x5000n)[0]).toBe(NOT_FOUND);
    expect(map().map((d) => d.type)).toEqual([CONVENTIONAL, LOADER_DATA, CONVENTIONAL, LOADER_DATA, CONVENTIONAL, BS_DATA]);
  });

  it('frees what it allocated, merging the map back to one entry, and changes the key each time', () => {
    map();
    const k0 = read(KEY, 8);
    const [, a] = allocate(ANY, BS_DATA, 0x10n);
    map();
    const k1 = read(KEY, 8);
    expect(k1).not.toBe(k0);
    expect(mm.mmFree(a, 0x10n)).toBe(SUCCESS);
    expect(map()).toEqual([{ type: CONVENTIONAL, start: RAM, pages: PAGES, attr: WB }]);
    expect(read(KEY, 8)).not.toBe(k1);
  });

  it('refuses to free free, reserved or partly allocated memory', () => {
    expect(mm.mmFree(RAM, 1n)).toBe(NOT_FOUND);
    const [, a] = allocate(ADDRESS, LOADER_DATA, 2n, RAM + 0x8000n);
    expect(mm.mmFree(a, 3n)).toBe(NOT_FOUND);
    expect(mm.mmFree(a + 1n, 1n)).toBe(INVALID);
    expect(mm.mmFree(a + 0x1000n, 1n)).toBe(SUCCESS); // the second page alone is fine
  });

  it('rejects bad arguments and reports exhaustion', () => {
    expect(allocate(ANY, CONVENTIONAL, 1n)[0]).toBe(INVALID);
    expect(allocate(ANY, 16n, 1n)[0]).toBe(INVALID);
    expect(allocate(ANY, LOADER_DATA, 0n)[0]).toBe(INVALID);
    expect(allocate(3n, LOADER_DATA, 1n)[0]).toBe(INVALID);
    expect(allocate(ADDRESS, LOADER_DATA, 1n, RAM + 0x123n)[0]).toBe(INVALID);
    expect(allocate(ANY, LOADER_DATA, PAGES + 1n)[0]).toBe(OUT_OF_RESOURCES);
    expect(allocate(MAX, LOADER_DATA, 1n, RAM - 1n)[0]).toBe(OUT_OF_RESOURCES);
    expect(allocate(ADDRESS, LOADER_DATA, 1n, 0x1000n)[0]).toBe(NOT_FOUND);
  });
});
