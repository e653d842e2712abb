// The boot-time memory map (templates/ram.ts), the identity map (templates/paging.ts),
// the configuration tables and the command-line conversion, on the host.
import { describe, it, expect, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write, writeBytes, readByte } from '../../templates/rt/memory.ts';
import { setArchParams, mmuRootForTest, guid, MachineHalted, takeConsole } from '../../templates/rt/intrinsics.ts';
import { buildHandoff, type HandoffInput } from '../../generator/loader/handoff.ts';
import { RegionType } from '../../generator/loader/memory.ts';

type Fn = (...a: bigint[]) => bigint;
let fw: Record<string, Fn>;
beforeEach(async () => {
  fw = (await loadTemplate('test/templates/harness/firmware-parts.ts')) as Record<string, Fn>;
  setArchParams();
  takeConsole();
});

const H = 0x4800_0000n;
const BLOB = 0x4900_0000n;
const CON = 0x4a00_0000n; // a console description: PL011 MMIO at 0x0900_0000
const [CONVENTIONAL, BS_DATA, RT_CODE, RESERVED, ACPI] = [7n, 4n, 5n, 0n, 9n];
const SCRATCH = 0x10_0000n;

function handoff(over: Partial<HandoffInput> = {}): void {
  const input: HandoffInput = {
    image: { addr: 0x4020_0000n, size: 0x12_3456n }, initrd: { addr: 0x4400_0000n, size: 0x1000n },
    cmdline: 'console=ttyAMA0', rngSeed: new Uint8Array(32),
    regions: [
      { base: 0x4000_0000n, size: 0x4000_0000n, type: RegionType.Usable },
      { base: 0x1000_0000n, size: 0x2000n, type: RegionType.Reserved },
      { base: 0x8000_0000n, size: 0x1_0800n, type: RegionType.AcpiReclaim },
    ],
    regionMax: 8, digests: [], ...over,
  };
  writeBytes(H, buildHandoff(H, input));
  write(CON, 4, 1n); write(CON + 4n, 4, 0n); write(CON + 8n, 8, 0x0900_0000n);
}

interface Desc { type: bigint; start: bigint; pages: bigint; attr: bigint }
function map(): Desc[] {
  write(SCRATCH, 8, 0x10000n);
  expect(fw.mmGetMap(SCRATCH, SCRATCH + 0x100n, 0n, 0n, 0n)).toBe(0n);
  return Array.from({ length: Number(read(SCRATCH, 8) / 48n) }, (_, i) => {
    const d = SCRATCH + 0x100n + BigInt(i) * 48n;
    return { type: read(d, 4), start: read(d + 8n, 8), pages: read(d + 24n, 8), attr: read(d + 32n, 8) };
  });
}
const typeAt = (a: bigint): bigint | undefined => map().find((d) => a >= d.start && a < d.start + d.pages * 0x1000n)?.type;

describe('ramInit', () => {
  it('turns e820 regions into EFI types and reserves the blob and every segment', () => {
    handoff();
    fw.ramInit(H, BLOB, BLOB + 0x2_1000n);
    expect(typeAt(0x4000_0000n)).toBe(CONVENTIONAL);
    expect(typeAt(0x1000_0000n)).toBe(RESERVED);
    expect(typeAt(0x8001_0000n)).toBe(ACPI); // partial last page grows to a whole one
    expect(typeAt(BLOB)).toBe(RT_CODE);
    expect(map().find((d) => d.start === BLOB)?.attr).toBe(0x8000_0000_0000_0008n); // WB | RUNTIME
    expect(typeAt(BLOB + 0x2_1000n)).toBe(CONVENTIONAL);
    for (const a of [H, 0x4020_0000n, 0x4032_3000n, 0x4400_0000n]) expect(typeAt(a)).toBe(BS_DATA);
    expect(typeAt(0x4032_4000n)).toBe(CONVENTIONAL); // the image's last partial page is taken, no more
  });

  it('hands out only whole pages of usable RAM', () => {
    handoff({ regions: [{ base: 0x4000_0800n, size: 0x1_0000n, type: RegionType.Usable }] });
    fw.ramInit(H, BLOB, BLOB + 0x1000n);
    const ram = map().filter((d) => d.type === CONVENTIONAL);
    expect(ram).toEqual([{ type: CONVENTIONAL, start: 0x4000_1000n, pages: 0xfn, attr: 8n }]);
  });
});

/** Walks the host's 4-level tables like an MMU: the final descriptor for `va`. */
function walk(va: bigint): { desc: bigint; level: number } {
  let table = mmuRootForTest();
  for (let level = 0; level < 4; level++) {
    const shift = 12n + 9n * BigInt(3 - level);
    const d = read(table + ((va >> shift) & 511n) * 8n, 8);
    if (d === 0n || level === 3 || (d & 3n) === 1n) return { desc: d, level };
    table = d & 0x0000_ffff_ffff_f000n;
  }
  throw new Error('unreachable');
}

describe('pagingInit', () => {
  it('maps RAM with the largest blocks, MMIO and the console as device pages, and switches to it', () => {
    handoff();
    fw.ramInit(H, BLOB, BLOB + 0x1000n);
    fw.pagingInit(H, CON);
    expect(mmuRootForTest()).not.toBe(0n);
    expect(walk(0x4000_0000n)).toEqual({ desc: 0x4000_0000n | 0x705n, level: 1 }); // 1 GiB block
    expect(walk(0x7fff_f123n).desc).toBe(0x4000_0000n | 0x705n);
    expect(walk(0x1000_1000n)).toEqual({ desc: 0x1000_1000n | 0x0060_0000_0000_0403n, level: 3 });
    expect(walk(0x0900_0000n)).toEqual({ desc: 0x0900_0000n | 0x0060_0000_0000_0403n, level: 3 });
    expect(walk(0x8001_0000n)).toEqual({ desc: 0x8001_0000n | 0x707n, level: 3 });
    expect(walk(0x8002_0000n).desc).toBe(0n); // nothing beyond the map
    expect(walk(0x0900_1000n).desc).toBe(0n);
  });

  it('maps all of a large region that comes after a small one inside it (a reader lists taken ranges first)', () => {
    handoff({ regions: [
      { base: 0x4000_0000n, size: 0x3_0000n, type: RegionType.Usable, flags: 1 },
      { base: 0x4000_0000n, size: 0x4000_0000n, type: RegionType.Usable },
    ] });
    fw.ramInit(H, BLOB, BLOB + 0x1000n);
    fw.pagingInit(H, CON);
    expect(walk(0x4000_0000n).desc).toBe(0x4000_0000n | 0x707n);
    expect(walk(0x4003_0000n).desc).toBe(0x4003_0000n | 0x707n); // the page right after the small region
    expect(walk(0x7fe0_0000n)).toEqual({ desc: 0x7fe0_0000n | 0x705n, level: 2 }); // blocks where they fit
  });

  it('uses 2 MiB blocks when the CPU has no larger ones, and gives unused table pages back', () => {
    setArchParams([0x8664n, 4n, 0x3n, 0x83n, 0x9bn, 0x3n, 0x1bn, 21n, 40n, 0n]);
    handoff();
    fw.ramInit(H, BLOB, BLOB + 0x1000n);
    const before = map().filter((d) => d.type === BS_DATA).reduce((n, d) => n + d.pages, 0n);
    fw.pagingInit(H, CON);
    const tables = map().filter((d) => d.type === BS_DATA).reduce((n, d) => n + d.pages, 0n) - before;
    expect(tables).toBeGreaterThan(0n);
    expect(tables).toBeLessThan(16n);
    const d = read(read(read(read(mmuRootForTest(), 8) & ~0xfffn, 8) & ~0xfffn, 8) & ~0xfffn, 8);
    expect(d).toBe(0n); // 0..2 MiB is not in the map
  });

  it('stops with a clear line when the regions need more table pages than it keeps', () => {
    const regions = Array.from({ length: 100 }, (_, i) => ({ base: 0x1_0000_0000n + BigInt(i) * 0x4000_0000n, size: 0x1000n, type: RegionType.Reserved }));
    handoff({ regions: [{ base: 0x4000_0000n, size: 0x4000_0000n, type: RegionType.Usable }, ...regions], regionMax: 128 });
    fw.ramInit(H, BLOB, BLOB + 0x1000n);
    expect(() => fw.pagingInit(H, CON)).toThrow(MachineHalted);
    expect(takeConsole()).toMatch(/^gen-purgatory: error: page tables: more than 64 table pages needed for region at 0x/m);
  });
});

describe('configuration tables', () => {
  const entries = (): [bigint, bigint][] => {
    const st = fw.systemTable();
    const n = read(st + 0x68n, 8);
    const a = read(st + 0x70n, 8);
    return Array.from({ length: Number(n) }, (_, i) => [read(a + BigInt(i) * 24n, 4), read(a + BigInt(i) * 24n + 16n, 8)]);
  };
  it('starts with the runtime-properties table that advertises no runtime service', () => {
    fw.configInit();
    const rt = fw.configTable(guid('eb66918a-7eef-402a-842e-931d21c38ae9'));
    expect([read(rt, 2), read(rt + 2n, 2), read(rt + 4n, 4)]).toEqual([1n, 8n, 0n]);
    expect(entries()).toEqual([[0xeb66918an, rt]]);
  });
  it('adds, replaces and deletes on NULL', () => {
    fw.configInit();
    const g = guid('b1b621d5-f19c-41a5-830b-d9152c69aae0');
    expect(fw.installConfigurationTable(g, 0x1234n)).toBe(0n);
    expect(fw.installConfigurationTable(g, 0x5678n)).toBe(0n);
    expect(entries().map((e) => e[1]).slice(1)).toEqual([0x5678n]);
    expect(fw.installConfigurationTable(g, 0n)).toBe(0n);
    expect(entries()).toHaveLength(1);
    expect(fw.installConfigurationTable(g, 0n)).toBe(0x8000_0000_0000_000en);
    expect(fw.installConfigurationTable(0n, 1n)).toBe(0x8000_0000_0000_0002n);
  });
});

describe('utf8ToUcs2', () => {
  const convert = (bytes: number[]): [bigint, number[]] => {
    writeBytes(SCRATCH, Uint8Array.from(bytes));
    const n = fw.utf8ToUcs2(SCRATCH, BigInt(bytes.length), SCRATCH + 0x1000n);
    return [n, Array.from({ length: Number(n) / 2 }, (_, i) => readByte(SCRATCH + 0x1000n + BigInt(2 * i)) | (readByte(SCRATCH + 0x1001n + BigInt(2 * i)) << 8))];
  };
  it('converts ASCII, 2- and 3-byte sequences, and ends with NUL', () => {
    expect(convert([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac])).toEqual([8n, [0x61, 0xe9, 0x20ac, 0]]);
  });
  it('turns malformed bytes and characters beyond the BMP into U+FFFD', () => {
    expect(convert([0xff, 0xc3, 0x41, 0xf0, 0x9f, 0x98, 0x80])).toEqual([10n, [0xfffd, 0xfffd, 0x41, 0xfffd, 0]]);
  });
  it('keeps the highest 1-, 2- and 3-byte characters and refuses a sequence cut short by the end', () => {
    expect(convert([0x7f, 0xdf, 0xbf, 0xef, 0xbf, 0xbf, 0xe2, 0x82])).toEqual([12n, [0x7f, 0x7ff, 0xffff, 0xfffd, 0xfffd, 0]]);
    expect(convert([0xe2, 0x82, 0x41, 0x80])).toEqual([10n, [0xfffd, 0xfffd, 0x41, 0xfffd, 0]]);
  });
});
