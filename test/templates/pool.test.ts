// templates/pool.ts on the host: pools of any size and type, carved from the memory map.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write } from '../../templates/rt/memory.ts';
import { SUCCESS, INVALID, OUT_OF_RESOURCES } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
let bs: Record<string, Fn>;
beforeAll(async () => { bs = (await loadTemplate('test/templates/harness/boot-services.ts')) as Record<string, Fn>; });

const [CONVENTIONAL, LOADER_DATA, BS_DATA] = [7n, 2n, 4n];
const RAM = 0x8000_0000n;
const OUT = 0x30_0000n;

function allocate(type: bigint, size: bigint): [bigint, bigint] {
  const s = bs.poolAllocate(type, size, OUT);
  return [s, read(OUT, 8)];
}

beforeEach(() => {
  bs.mmReset();
  bs.mmAdd(RAM, 0x100n, CONVENTIONAL, 8n); // 1 MiB
});

describe('pool allocator', () => {
  it('hands out aligned, writable blocks of any size, each typed in the memory map', () => {
    const [s1, a] = allocate(BS_DATA, 1n);
    const [s2, b] = allocate(LOADER_DATA, 0x2345n);
    expect([s1, s2]).toEqual([SUCCESS, SUCCESS]);
    expect(a % 16n).toBe(0n);
    expect(b % 16n).toBe(0n);
    expect(a).not.toBe(b);
    write(b + 0x2344n, 1, 0xaan); // the last byte asked for is inside the block
    expect(read(b + 0x2344n, 1)).toBe(0xaan);
    expect(bs.mmCount()).toBe(3n); // conventional, loader data, boot services data
  });

  it('frees blocks back into the map, once', () => {
    const [, a] = allocate(BS_DATA, 0x100n);
    expect(bs.poolFree(a)).toBe(SUCCESS);
    expect(bs.mmCount()).toBe(1n);
    expect(bs.poolFree(a)).toBe(INVALID);
    expect(bs.poolFree(a + 8n)).toBe(INVALID);
    expect(bs.poolFree(RAM + 0x10n)).toBe(INVALID);
  });

  it('rejects bad types and reports exhaustion', () => {
    expect(bs.poolAllocate(CONVENTIONAL, 8n, OUT)).toBe(INVALID);
    expect(bs.poolAllocate(16n, 8n, OUT)).toBe(INVALID);
    expect(bs.poolAllocate(BS_DATA, 8n, 0n)).toBe(INVALID);
    expect(allocate(BS_DATA, 0x10_0000n)[0]).toBe(OUT_OF_RESOURCES); // header makes it 1 MiB + 16
  });
});
