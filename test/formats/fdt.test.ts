// FDT reader: real QEMU `virt` trees, hand-built trees for what `virt` lacks, and
// malformed blobs that must only ever produce FormatError.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../generator/errors.ts';
import {
  findNode,
  memoryRegions,
  parseFdt,
  propStrings,
  propU32,
  propU64,
  psciConduit,
  reg,
  stdoutConsole,
  type Fdt,
} from '../../generator/formats/fdt.ts';
import { RegionType } from '../../generator/loader/memory.ts';
import { buildDtb, cells, type BuildNode } from '../support/fdt-builder.ts';
import { tempDir } from '../support/tmp.ts';

const dir = tempDir('fdt-');

function dumpVirtDtb(machine: string): Uint8Array {
  const file = join(dir, 'virt.dtb');
  const args = ['-M', `${machine},dumpdtb=${file}`, '-cpu', 'cortex-a57', '-m', '1G', '-nographic'];
  const r = spawnSync('qemu-system-aarch64', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qemu dumpdtb failed: ${r.stderr}`);
  return readFileSync(file);
}

describe('QEMU virt device trees', () => {
  let el1: Fdt;
  let el2: Fdt;
  beforeAll(() => {
    el1 = parseFdt(dumpVirtDtb('virt'), 'virt.dtb');
    el2 = parseFdt(dumpVirtDtb('virt,virtualization=on'), 'virt-el2.dtb');
  });

  it('finds 1 GiB of RAM at 0x40000000 and nothing reserved', () => {
    for (const fdt of [el1, el2]) {
      expect(memoryRegions(fdt)).toEqual([{ base: 0x4000_0000n, size: 0x4000_0000n, type: RegionType.Usable }]);
    }
  });

  it('uses hvc for PSCI at EL1 and smc with virtualization=on (QEMU emulates EL3 firmware)', () => {
    expect(psciConduit(el1)).toBe('hvc');
    expect(psciConduit(el2)).toBe('smc');
  });

  it('resolves stdout-path to the PL011 at 0x9000000', () => {
    const want = { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 };
    expect(stdoutConsole(el1)).toEqual(want);
    expect(stdoutConsole(el2)).toEqual(want);
  });

  it('exposes header, paths and typed properties', () => {
    expect(el1.header.version).toBe(17);
    expect(el1.root.path).toBe('/');
    const mem = findNode(el1, '/memory@40000000');
    expect(mem?.path).toBe('/memory@40000000');
    expect(findNode(el1, '/memory')).toBe(mem); // base name without unit address
    expect(propStrings(el1.root, 'compatible')).toEqual(['linux,dummy-virt']);
    expect(propU32(el1.root, '#address-cells')).toBe(2);
    expect(propU64(findNode(el1, '/chosen') as never, 'kaslr-seed')).toBeTypeOf('bigint');
    expect(reg(findNode(el1, '/pl011@9000000') as never)).toEqual([{ address: 0x900_0000n, size: 0x1000n }]);
  });
});

/** A Raspberry-Pi-like tree: UART behind /soc ranges, reached through an alias. */
const boardTree: BuildNode = {
  name: '',
  props: { '#address-cells': [2], '#size-cells': [1], compatible: 'test,board' },
  children: [
    { name: 'aliases', props: { serial0: '/soc/serial@7e215040' } },
    { name: 'chosen', props: { 'stdout-path': 'serial0:115200n8' } },
    { name: 'memory@0', props: { device_type: 'memory', reg: [0, 0, 0x3b40_0000, 1, 0, 0x4000_0000] } },
    { name: 'memory@200000000', props: { device_type: 'memory', status: 'disabled', reg: [2, 0, 0x1000] } },
    {
      name: 'reserved-memory',
      props: { '#address-cells': [2], '#size-cells': [1], ranges: new Uint8Array(0) },
      children: [
        { name: 'linux,cma', props: { size: [0x400_0000], reusable: new Uint8Array(0) } },
        { name: 'fw@1f000000', props: { reg: [0, 0x1f00_0000, 0x10_0000], 'no-map': new Uint8Array(0) } },
      ],
    },
    {
      name: 'soc',
      props: { '#address-cells': [1], '#size-cells': [1], ranges: [0x7e00_0000, 0, 0xfe00_0000, 0x180_0000] },
      children: [
        {
          name: 'serial@7e215040',
          props: { compatible: ['brcm,bcm2835-aux-uart', 'ns16550a'], reg: [0x7e21_5040, 0x40], 'reg-shift': [2], 'reg-io-width': [4] },
        },
      ],
    },
  ],
};

describe('hand-built trees', () => {
  it('translates the UART address through /soc ranges and reads shift, width and baud', () => {
    const fdt = parseFdt(buildDtb(boardTree), 'board.dtb');
    expect(stdoutConsole(fdt)).toEqual({ kind: '16550', space: 'mmio', base: 0xfe21_5040n, regShift: 2, regWidth: 4, baud: 115200 });
    expect(findNode(fdt, 'serial0')?.path).toBe('/soc/serial@7e215040');
  });

  it('lists usable RAM, reserved-memory children and the reservation block, skipping disabled nodes', () => {
    const fdt = parseFdt(buildDtb(boardTree, { reservations: [[0n, 0x1000n]] }), 'board.dtb');
    expect(memoryRegions(fdt)).toEqual([
      { base: 0n, size: 0x3b40_0000n, type: RegionType.Usable },
      { base: 0n, size: 0x1000n, type: RegionType.Reserved },
      { base: 0x1f00_0000n, size: 0x10_0000n, type: RegionType.Reserved },
      { base: 0x1_0000_0000n, size: 0x4000_0000n, type: RegionType.Usable },
    ]);
    expect(fdt.reservations).toEqual([{ address: 0n, size: 0x1000n }]);
  });

  it('defaults 16550 reg-shift/reg-io-width to 0/1 and ignores unknown UARTs', () => {
    const tree = (compatible: string): BuildNode => ({
      name: '',
      children: [
        { name: 'chosen', props: { 'stdout-path': '/uart@1000' } },
        { name: 'uart@1000', props: { compatible, reg: [0, 0x1000, 0x100], 'current-speed': [9600] } },
      ],
    });
    const fdt = parseFdt(buildDtb(tree('ns16550')), 'a.dtb');
    expect(stdoutConsole(fdt)).toEqual({ kind: '16550', space: 'mmio', base: 0x1000n, regShift: 0, regWidth: 1, baud: 9600 });
    expect(stdoutConsole(parseFdt(buildDtb(tree('vendor,other-uart')), 'b.dtb'))).toBeUndefined();
    expect(psciConduit(fdt)).toBeUndefined();
  });

  it('reports a bad property with its file offset and path', () => {
    const fdt = parseFdt(buildDtb({ name: '', children: [{ name: 'psci', props: { method: 'svc' } }] }), 'p.dtb');
    expect(() => psciConduit(fdt)).toThrow(FormatError);
    expect(() => psciConduit(fdt)).toThrow(/p\.dtb: offset 0x[0-9a-f]+: \/psci\/method: "svc"/);
    const bad = parseFdt(buildDtb({ name: '', props: { '#address-cells': [1, 2] } }), 'c.dtb');
    expect(() => propU32(bad.root, '#address-cells')).toThrow(FormatError);
  });

  it('parses a version 16 blob (no size_dt_struct)', () => {
    const fdt = parseFdt(buildDtb(boardTree, { version: 16 }), 'v16.dtb');
    expect(findNode(fdt, '/soc/serial@7e215040')).toBeDefined();
  });
});

// ---------------------------------------------------------------- malformed input

const u32At = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, false);
function withU32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setUint32(at, v >>> 0, false);
  return c;
}

/** Parses and runs every query; anything thrown must be a FormatError. */
function onlyFormatErrors(bytes: Uint8Array): 'ok' | 'format-error' {
  try {
    const fdt = parseFdt(bytes, 'bad.dtb');
    memoryRegions(fdt);
    psciConduit(fdt);
    stdoutConsole(fdt);
    return 'ok';
  } catch (e) {
    if (e instanceof FormatError) return 'format-error';
    throw e;
  }
}

function expectFormatError(bytes: Uint8Array, field: RegExp): void {
  try {
    parseFdt(bytes, 'bad.dtb');
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).field).toMatch(field);
    return;
  }
  throw new Error('parsed without error');
}

describe('malformed blobs', () => {
  let good: Uint8Array;
  beforeAll(() => {
    // The dumped DTB is padded to 1 MiB; shrink it to its content so truncations bite.
    const raw = dumpVirtDtb('virt');
    const end = u32At(raw, 12) + u32At(raw, 32);
    good = withU32(raw.subarray(0, end), 4, end);
  });

  it('throws FormatError for every truncation, with or without a matching totalsize', () => {
    for (let len = 0; len < good.length; len++) {
      const cut = good.subarray(0, len);
      expect(onlyFormatErrors(cut)).toBe('format-error');
      if (len >= 40) onlyFormatErrors(withU32(cut, 4, len)); // header consistent, blocks not
    }
  });

  it('throws FormatError when the structure or strings block is cut short', () => {
    const structSize = u32At(good, 36);
    for (let size = 0; size < structSize; size++) {
      expect(onlyFormatErrors(withU32(good, 36, size))).toBe('format-error');
    }
    const stringsSize = u32At(good, 32);
    for (let size = 0; size < stringsSize; size++) {
      expect(onlyFormatErrors(withU32(good, 32, size))).toBe('format-error');
    }
  });

  it('throws FormatError for corrupted header fields', () => {
    for (let field = 0; field < 10; field++) {
      for (const v of [0, 1, 3, 0x28, 0x7fff_ffff, 0xffff_fffc, 0xffff_ffff, u32At(good, 4) + 4]) {
        onlyFormatErrors(withU32(good, 4 * field, v));
      }
    }
    expectFormatError(withU32(good, 0, 0xfeedd00d), /magic/);
    expectFormatError(withU32(good, 20, 15), /version/);
    expectFormatError(withU32(good, 24, 18), /last_comp_version/);
    expectFormatError(withU32(good, 8, 0x41), /off_dt_struct/);
    expectFormatError(withU32(good, 12, good.length + 1), /off_dt_strings/);
  });

  it('survives 3000 random byte corruptions with only FormatError', () => {
    let seed = 0x1234_5678;
    const rand = (): number => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b_3c6d) + 0x6d2b_79f5) >>> 0;
      return seed;
    };
    const outcomes = { ok: 0, 'format-error': 0 };
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(good);
      for (let k = 0; k < 1 + (rand() % 4); k++) b[rand() % b.length] = rand() & 0xff;
      outcomes[onlyFormatErrors(b)]++;
    }
    expect(outcomes['format-error']).toBeGreaterThan(0);
  });

  it('names the structural problem', () => {
    const root = (props: Record<string, number[]> = {}): Uint8Array => buildDtb({ name: '', props });
    const s = (b: Uint8Array): number => u32At(b, 8); // off_dt_struct
    const b = root({ x: [1] });
    expectFormatError(withU32(b, s(b), 7), /structure token/);
    expectFormatError(withU32(b, s(b), 3), /FDT_PROP/); // property before any node
    expectFormatError(withU32(b, s(b) + 12, 0x100), /property length|property value/);
    expectFormatError(withU32(b, s(b) + 16, 0x999), /property name offset/);
    const e = buildDtb({ name: '' });
    expectFormatError(withU32(e, s(e) + 8, 9), /FDT_END/); // END_NODE replaced by END
    expectFormatError(withU32(e, s(e) + 8, 1), /node name|structure token/);
    const dup = buildDtb({ name: '', children: [{ name: 'a' }] });
    expectFormatError(withU32(dup, s(dup) + 8 + 4, 0), /node name/); // child name emptied
  });

  it('rejects trees nested deeper than 64 levels', () => {
    let node: BuildNode = { name: 'leaf' };
    for (let i = 0; i < 70; i++) node = { name: `n${i}`, children: [node] };
    expectFormatError(buildDtb({ name: '', children: [node] }), /FDT_BEGIN_NODE/);
  });

  it('rejects duplicate properties', () => {
    const b = buildDtb({ name: '', props: { a: cells(1), b: cells(2) } });
    const strOff = u32At(b, 12);
    const copy = Uint8Array.from(b);
    copy.set(new TextEncoder().encode('a'), strOff + 2); // rename "b" to "a"
    expectFormatError(copy, /FDT_PROP/);
  });
});
