// The segment planner and the handoff block it writes, checked field by field.
import { describe, it, expect } from 'vitest';
import { planSegments, type PlanInput } from '../../generator/loader/plan.ts';
import { HO, HANDOFF_MAGIC, REGION_SIZE, CON } from '../../generator/loader/layout.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { arm64 } from '../../generator/targets/arm64.ts';
import { x86_64 } from '../../generator/targets/x86_64.ts';
import { readBlob } from '../../generator/commands/inputs.ts';
import type { MemRegion } from '../../generator/loader/memory.ts';

const RAM: MemRegion[] = [{ base: 0x4000_0000n, size: 0x4000_0000n, type: 1 }];
const { blob, header } = readBlob(arm64, undefined);

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    target: arm64, blob, blobHeader: header, cmdline: 'console=ttyAMA0 root=/dev/vda',
    image: { data: new Uint8Array(0x123456), file: 'Image' },
    initrd: { data: new Uint8Array(0x5000), file: 'initrd' },
    regions: RAM, psci: 'smc', rngSeed: new Uint8Array(32).fill(7), ...over,
  };
}

const u64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

describe('planSegments', () => {
  it('places page-aligned, non-overlapping segments inside usable RAM', () => {
    const plan = planSegments(input());
    expect(plan.segments.map((s) => s.name)).toEqual(['image', 'initrd', 'handoff', 'blob']);
    const sorted = [...plan.segments].sort((a, b) => Number(a.addr - b.addr));
    sorted.forEach((s, i) => {
      expect(s.addr % 0x1000n, s.name).toBe(0n);
      expect(s.memsz % 0x1000n, s.name).toBe(0n);
      expect(BigInt(s.data.length) <= s.memsz, s.name).toBe(true);
      expect(s.addr >= 0x4000_0000n && s.addr + s.memsz <= 0x8000_0000n, s.name).toBe(true);
      if (i > 0) expect(sorted[i - 1].addr + sorted[i - 1].memsz <= s.addr, s.name).toBe(true);
    });
    expect(plan.segments[0].addr % 0x20_0000n).toBe(0n); // an Image wants 2 MiB
  });

  it('writes the handoff block the blob reads, and points the slot at it', () => {
    const plan = planSegments(input());
    const h = plan.segments.find((s) => s.name === 'handoff')!;
    const b = plan.segments.find((s) => s.name === 'blob')!;
    const img = plan.segments.find((s) => s.name === 'image')!;
    expect(u64(b.data, parseBlobHeader(blob, 'b').handoffSlotOffset)).toBe(h.addr);
    expect(plan.entry).toBe(b.addr + BigInt(header.entryOffset));
    expect(u64(h.data, HO.MAGIC)).toBe(HANDOFF_MAGIC);
    expect(u32(h.data, HO.VERSION)).toBe(1);
    expect(u32(h.data, HO.SIZE)).toBe(h.data.length);
    expect([u64(h.data, HO.IMAGE_ADDR), u64(h.data, HO.IMAGE_SIZE)]).toEqual([img.addr, 0x123456n]);
    expect(u64(h.data, HO.INITRD_SIZE)).toBe(0x5000n);
    expect(u32(h.data, HO.PSCI)).toBe(2);
    const cmd = Number(u64(h.data, HO.CMDLINE_ADDR) - h.addr);
    const len = Number(u64(h.data, HO.CMDLINE_SIZE));
    expect(Buffer.from(h.data.subarray(cmd, cmd + len)).toString()).toBe('console=ttyAMA0 root=/dev/vda');
    expect(h.data[cmd + len]).toBe(0);
    const regions = Number(u64(h.data, HO.REGIONS_OFFSET));
    expect(u32(h.data, HO.REGION_COUNT)).toBe(1);
    expect(u32(h.data, HO.REGION_MAX)).toBeGreaterThanOrEqual(128);
    expect(u64(h.data, regions)).toBe(0x4000_0000n);
    expect(u32(h.data, regions + 16)).toBe(1);
    expect(h.data.subarray(HO.RNG_SEED, HO.RNG_SEED + 32).every((x) => x === 7)).toBe(true);
    expect(regions + REGION_SIZE * 128 <= h.data.length).toBe(true);
  });

  it('records the console in the handoff block', () => {
    const plan = planSegments(input({ console: { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 } }));
    const h = plan.segments.find((s) => s.name === 'handoff')!.data;
    expect(u32(h, HO.CONSOLE + CON.KIND)).toBe(1);
    expect(u64(h, HO.CONSOLE + CON.BASE)).toBe(0x900_0000n);
  });

  it('honours a fixed blob address and stays clear of reserved RAM and the floor', () => {
    const regions: MemRegion[] = [
      { base: 0n, size: 0x4000_0000n, type: 1 },
      { base: 0x100_0000n, size: 0x100_0000n, type: 2 },
    ];
    const plan = planSegments(input({ target: x86_64, regions, blobAddr: 0x3000_0000n }));
    expect(plan.segments.find((s) => s.name === 'blob')!.addr).toBe(0x3000_0000n);
    for (const s of plan.segments) expect(s.addr >= 0x200_0000n, s.name).toBe(true);
  });

  it.each([
    ['a misaligned blob address', { blobAddr: 0x4000_0800n }, /blob address 0x40000800 is not aligned/],
    ['a blob outside RAM', { blobAddr: 0x9000_0000n }, /blob at 0x90000000\+0x[0-9a-f]+ is not inside free usable RAM/],
    ['too little RAM', { regions: [{ base: 0x4000_0000n, size: 0x10_0000n, type: 1 }] as MemRegion[] }, /no room for the image/],
    ['no usable RAM', { regions: [{ base: 0x4000_0000n, size: 0x10_0000n, type: 2 }] as MemRegion[] }, /no usable RAM/],
  ])('refuses %s', (_what, over, message) => {
    expect(() => planSegments(input(over as Partial<PlanInput>))).toThrow(message);
  });
});
