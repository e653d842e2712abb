// CopyMem and SetMem as the host runs them (the copyMem/setMem intrinsics the host tests
// stand on; test/compiler/programs/200 and 220 compare them with the assembly), and
// templates/memops.ts's CRC-32.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { readBytes, writeBytes, read } from '../../templates/rt/memory.ts';
import { ascii, copyMem, setMem } from '../../templates/rt/intrinsics.ts';

let m: Record<string, HostFn>;
beforeAll(async () => { m = await loadTemplate('templates/memops.ts'); });

const BASE = 0x50_0000n;
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);

describe('memory operations', () => {
  it.each([
    ['forward, aligned', 0n, 0x100n, 64],
    ['forward, unaligned', 3n, 0x101n, 61],
    ['overlap, dst above src, aligned', 0n, 8n, 100],
    ['overlap, dst above src, unaligned', 1n, 6n, 99],
    ['overlap, dst below src', 16n, 3n, 77],
    ['zero length', 0n, 8n, 0],
  ])('copyMem %s matches memmove', (_what, src, dst, n) => {
    const buf = pattern(256);
    writeBytes(BASE, buf);
    copyMem(BASE + dst, BASE + src, BigInt(n));
    const want = Uint8Array.from(buf);
    want.copyWithin(Number(dst), Number(src), Number(src) + n);
    expect(readBytes(BASE, 256)).toEqual(want);
  });

  it('setMem fills exactly the range, aligned or not', () => {
    writeBytes(BASE, new Uint8Array(64));
    setMem(BASE + 5n, 40n, 0xa5n);
    const got = readBytes(BASE, 64);
    expect(got.slice(0, 5).every((x) => x === 0)).toBe(true);
    expect(got.slice(5, 45).every((x) => x === 0xa5)).toBe(true);
    expect(got.slice(45).every((x) => x === 0)).toBe(true);
  });

  it('computes the UEFI CRC-32 (check value of "123456789" is 0xcbf43926)', () => {
    expect(m.crc32(ascii('123456789'), 9n)).toBe(0xcbf43926n);
    expect(m.calculateCrc32(ascii('123456789'), 9n, BASE + 0x200n)).toBe(0n);
    expect(read(BASE + 0x200n, 4)).toBe(0xcbf43926n);
    expect(m.calculateCrc32(0n, 9n, BASE)).toBe(0x8000_0000_0000_0002n);
  });
});
