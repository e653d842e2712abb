// The arm64 way in on the host: device trees as kexec-tools hands them over (a first
// kernel booted by DT, one booted by UEFI, a crash kernel's) become the handoff block,
// and the /chosen properties the EFI stub writes anew are gone from the tree.
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/debian.ts';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { readBytes, write, writeBytes } from '../../templates/rt/memory.ts';
import { takeConsole, MachineHalted, guidBytes } from '../../templates/rt/intrinsics.ts';
import { buildDtb, type BuildNode } from '../support/fdt-builder.ts';
import { parseFdt, findNode, prop } from '../../generator/formats/fdt.ts';
import { HO, CON } from '../../generator/loader/layout.ts';
import { placeWrapped, blockRegions, blockCmdline, field } from '../support/wayin.ts';

let fw: Record<string, HostFn>;
beforeEach(async () => {
  fw = await loadTemplate('test/templates/harness/wayin-dtb.ts');
  takeConsole();
});

const BASE = 0x4020_0000n;
const PAYLOAD = 0x4030_0000n;
const DTB = 0x4800_0000n;
const u64 = (v: bigint): number[] => [Number(v >> 32n), Number(v & 0xffff_ffffn)];

function chosen(extra: Record<string, Uint8Array | string | number[]> = {}): BuildNode {
  return {
    name: 'chosen',
    props: {
      bootargs: 'console=ttyAMA0 root=/dev/ram "quoted arg"', 'linux,initrd-start': u64(0x4400_0000n),
      'linux,initrd-end': u64(0x4412_3456n), 'kaslr-seed': u64(0x1122_3344_5566_7788n), 'stdout-path': '/pl011@9000000',
      ...extra,
    },
  };
}

function virtTree(over: { memory?: boolean; chosen?: BuildNode; extra?: BuildNode[] } = {}): BuildNode {
  const nodes: BuildNode[] = [
    { name: 'psci', props: { compatible: 'arm,psci-1.0', method: 'hvc' } },
    { name: 'pl011@9000000', props: { compatible: ['arm,pl011', 'arm,primecell'], reg: [0, 0x0900_0000, 0, 0x1000] } },
    { name: 'reserved-memory', props: { '#address-cells': [2], '#size-cells': [2], ranges: [] },
      children: [{ name: 'fw@7f000000', props: { reg: [0, 0x7f00_0000, 0, 0x10_0000], 'no-map': [] } }] },
    over.chosen ?? chosen(),
    ...(over.extra ?? []),
  ];
  if (over.memory !== false) nodes.unshift({ name: 'memory@40000000', props: { device_type: 'memory', reg: [0, 0x4000_0000, 0, 0x8000_0000] } });
  return { name: '', props: { '#address-cells': [2], '#size-cells': [2], compatible: 'linux,dummy-virt' }, children: nodes };
}

function run(tree: BuildNode, opts: { reservations?: [bigint, bigint][]; flags?: number } = {}): bigint {
  const dtb = buildDtb(tree, { reservations: opts.reservations });
  writeBytes(DTB, dtb);
  placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n, flags: opts.flags }, fw.fnv64);
  return fw.wayinDtb(DTB, BASE);
}

/** The tree as the reader left it in memory. */
function treeAfter(): ReturnType<typeof parseFdt> {
  const total = new DataView(readBytes(DTB, 8).buffer).getUint32(4, false);
  return parseFdt(readBytes(DTB, total), 'dtb');
}

function failure(f: () => unknown): string {
  expect(f).toThrow(MachineHalted);
  return takeConsole();
}

describe('the DT reader (a first kernel booted by DT)', () => {
  it('fills the handoff block from memory nodes, reservations, /chosen, /psci and stdout-path', () => {
    const h = run(virtTree(), { reservations: [[0x4100_0000n, 0x2000n]] });
    expect(blockCmdline(h)).toBe('console=ttyAMA0 root=/dev/ram "quoted arg"');
    expect([field(h, HO.INITRD_ADDR), field(h, HO.INITRD_SIZE)]).toEqual([0x4400_0000n, 0x12_3456n]);
    expect([field(h, HO.DTB_ADDR), field(h, HO.IMAGE_ADDR), field(h, HO.IMAGE_SIZE)]).toEqual([DTB, PAYLOAD, 0x1234n]);
    expect(field(h, HO.IMAGE_PAGES, 4)).toBe(2n);
    expect(field(h, HO.PSCI, 4)).toBe(1n);
    expect(field(h, HO.CONSOLE + CON.KIND, 4)).toBe(1n);
    expect(field(h, HO.CONSOLE + CON.BASE)).toBe(0x0900_0000n);
    expect(field(h, HO.CONSOLE + CON.WIDTH, 4)).toBe(4n);
    expect(field(h, HO.RNG_SEED)).not.toBe(0n);
    expect(blockRegions(h)).toEqual(expect.arrayContaining([
      { base: BASE, size: PAYLOAD - BASE, type: 1n, flags: 1n },
      { base: 0x4000_0000n, size: 0x8000_0000n, type: 1n, flags: 0n },
      { base: 0x7f00_0000n, size: 0x10_0000n, type: 2n, flags: 0n },
      { base: 0x4100_0000n, size: 0x2000n, type: 2n, flags: 0n },
    ]));
    expect(takeConsole()).toBe('');
  });

  it('deletes the /chosen properties the EFI stub rewrites and keeps the rest', () => {
    run(virtTree({ chosen: chosen({ 'rng-seed': new Uint8Array(64).fill(7), 'linux,elfcorehdr': u64(0x4f00_0000n).concat(u64(0x1000n)), 'linux,usable-memory-range': [0, 0x4000_0000, 0, 0x2000_0000] }) }));
    const c = findNode(treeAfter(), '/chosen');
    expect(c && Object.keys(Object.fromEntries(c.props.map((p) => [p.name, 1]))).sort()).toEqual(['linux,elfcorehdr', 'linux,usable-memory-range', 'stdout-path']);
    expect(prop(c!, 'stdout-path')).toBeDefined();
  });

  it('offers only linux,usable-memory-range as RAM to a crash kernel and keeps elfcorehdr taken', () => {
    const h = run(virtTree({ chosen: chosen({ 'linux,elfcorehdr': u64(0x4f00_0000n).concat(u64(0x1000n)), 'linux,usable-memory-range': [0, 0x4000_0000, 0, 0x2000_0000] }) }));
    const usable = blockRegions(h).filter((r) => r.type === 1n && r.flags === 0n);
    expect(usable).toEqual([{ base: 0x4000_0000n, size: 0x2000_0000n, type: 1n, flags: 0n }]);
    expect(blockRegions(h)).toContainEqual({ base: 0x4f00_0000n, size: 0x1000n, type: 1n, flags: 1n });
  });

  it('resolves stdout-path through /aliases and ignores its options', () => {
    const tree = virtTree({ chosen: chosen({ 'stdout-path': 'serial0:115200n8' }), extra: [{ name: 'aliases', props: { serial0: '/pl011@9000000' } }] });
    expect(field(run(tree), HO.CONSOLE + CON.BASE)).toBe(0x0900_0000n);
  });

  it('takes a 16550 with reg-shift and reg-io-width', () => {
    const uart: BuildNode = { name: 'serial@1c28000', props: { compatible: 'snps,dw-apb-uart', reg: [0, 0x1c2_8000, 0, 0x400], 'reg-shift': [2], 'reg-io-width': [4] } };
    const h = run(virtTree({ chosen: chosen({ 'stdout-path': '/serial@1c28000' }), extra: [uart] }));
    expect([2n, 0x1c2_8000n, 2n, 4n]).toEqual([HO.CONSOLE + CON.KIND, HO.CONSOLE + CON.BASE, HO.CONSOLE + CON.SHIFT, HO.CONSOLE + CON.WIDTH].map((o, i) => field(h, o, i === 1 ? 8 : 4)));
  });

  it('passes no command line when the payload is a UKI with its own .cmdline', () => {
    expect(field(run(virtTree(), { flags: 1 }), HO.CMDLINE_SIZE)).toBe(0n);
  });
});

describe('the DT reader (a first kernel booted by UEFI)', () => {
  const MAP = 0x4700_0000n;
  const SYSTAB = 0x7e00_0000n;
  const TABLES_PHYS = 0x7e00_1000n;
  const VIRT = 0xffff_8000_0000_0000n;

  function efiWorld(secureBoot = 0): BuildNode {
    const descs: [number, bigint, bigint, bigint, bigint][] = [
      [7, 0x4000_0000n, 0n, 0x3e000n, 0xfn], // conventional
      [4, 0x7e00_0000n - 0x10_0000n, 0n, 0x100n, 0xfn], // boot services data
      [6, 0x7e00_0000n, VIRT, 0x10n, 0x8000_0000_0000_000fn], // runtime data: the system table
      [9, 0x7f00_0000n, 0n, 0x10n, 0xfn], // ACPI reclaim
      [11, 0x0400_0000n, 0n, 0x4000n, 0x8000_0000_0000_0001n], // MMIO: left out
    ];
    descs.forEach(([t, p, v, n, a], i) => {
      const d = MAP + BigInt(i * 48);
      write(d, 4, BigInt(t)); write(d + 8n, 8, p); write(d + 16n, 8, v); write(d + 24n, 8, n); write(d + 32n, 8, a);
    });
    write(SYSTAB + 0x68n, 8, 2n);
    write(SYSTAB + 0x70n, 8, VIRT + (TABLES_PHYS - SYSTAB));
    writeBytes(TABLES_PHYS, Uint8Array.from(guidBytes('8868e871-e4f1-11d3-bc22-0080c73c8881')!));
    write(TABLES_PHYS + 16n, 8, 0x7f00_0100n);
    writeBytes(TABLES_PHYS + 24n, Uint8Array.from(guidBytes('f2fd1544-9794-4a2c-992e-e5bbcf20e394')!));
    write(TABLES_PHYS + 40n, 8, 0x7e00_2000n);
    return virtTree({ memory: false, chosen: chosen({
      'linux,uefi-system-table': u64(SYSTAB), 'linux,uefi-mmap-start': u64(MAP), 'linux,uefi-mmap-size': [5 * 48],
      'linux,uefi-mmap-desc-size': [48], 'linux,uefi-mmap-desc-ver': [1], 'linux,uefi-secure-boot': [secureBoot],
    }) });
  }

  it('takes memory from the firmware map and the ACPI RSDP and SMBIOS from its system table', () => {
    const h = run(efiWorld());
    const regions = blockRegions(h).filter((r) => r.flags === 0n);
    expect(regions).toEqual(expect.arrayContaining([
      { base: 0x4000_0000n, size: 0x3e00_0000n, type: 1n, flags: 0n },
      { base: 0x7df0_0000n, size: 0x10_0000n, type: 1n, flags: 0n },
      { base: 0x7e00_0000n, size: 0x1_0000n, type: 2n, flags: 0n },
      { base: 0x7f00_0000n, size: 0x1_0000n, type: 3n, flags: 0n },
    ]));
    expect(regions.find((r) => r.base === 0x0400_0000n)).toBeUndefined();
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0x7f00_0100n, 0x7e00_2000n]);
    const c = findNode(treeAfter(), '/chosen')!;
    expect(c.props.map((p) => p.name).filter((n) => n.startsWith('linux,uefi'))).toEqual([]);
    expect(field(h, HO.FLAGS)).toBe(0n);
  });

  it('flags a first boot with Secure Boot on (linux,uefi-secure-boot 3) for the variable store', () => {
    expect(field(run(efiWorld(3)), HO.FLAGS)).toBe(1n);
    expect(field(run(efiWorld(2)), HO.FLAGS)).toBe(0n); // disabled
  });
});

describe('the DT reader refuses what it cannot use, with one line', () => {
  it('no DTB in x0', () => {
    placeWrapped({ base: BASE, payload: PAYLOAD, size: 8n, pages: 1n }, fw.fnv64);
    expect(failure(() => fw.wayinDtb(0n, BASE))).toMatch(/^gen-purgatory: error: DT: no flattened device tree .* 0x0\n$/);
  });
  it('no memory at all', () => {
    expect(failure(() => run(virtTree({ memory: false })))).toMatch(/DT: no usable memory/);
  });
  it('a wrapped image the loader truncated', () => {
    writeBytes(DTB, buildDtb(virtTree()));
    placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n }, fw.fnv64);
    write(PAYLOAD + 0x1238n, 8, 0n);
    expect(failure(() => fw.wayinDtb(DTB, BASE))).toMatch(/^gen-purgatory: error: wrapped image: truncated by the loader: no trailer at 0x40301238\n$/);
  });
});

describe('the DT reader under mutation', () => {
  it('meets any damaged tree with a returned block or its own failure line', () => {
    const good = buildDtb(virtTree({ chosen: chosen({ 'stdout-path': 'serial0' }), extra: [{ name: 'aliases', props: { serial0: '/pl011@9000000' } }] }));
    let seed = 0x1234_5678;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 16) % n; };
    let failures = 0;
    for (let i = 0; i < 300; i++) {
      const bytes = good.slice();
      for (let k = 0; k < 1 + rand(4); k++) bytes[rand(bytes.length)] = rand(256);
      writeBytes(DTB, bytes);
      writeBytes(DTB + BigInt(bytes.length), new Uint8Array(256));
      placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n }, fw.fnv64);
      try {
        fw.wayinDtb(DTB, BASE);
      } catch (e) {
        expect(e).toBeInstanceOf(MachineHalted);
        expect(takeConsole()).toMatch(/^gen-purgatory: error: [^\n]+\n$/);
        failures++;
      }
      takeConsole();
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('the DT reader on trees captured from real kexec (test/fixtures/captured)', () => {
  const captured = (name: string): Uint8Array => new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/captured', name)));

  it('a first kernel booted by QEMU with a DT: memory node, PSCI, the PL011 of stdout-path', () => {
    writeBytes(DTB, captured('arm64-direct-kexec.dtb'));
    placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n }, fw.fnv64);
    const h = fw.wayinDtb(DTB, BASE);
    const before = findNode(parseFdt(captured('arm64-direct-kexec.dtb'), 'dtb'), '/chosen')!;
    expect(blockCmdline(h)).toBe(new TextDecoder().decode(prop(before, 'bootargs')!.value).split('\0')[0]);
    expect(blockRegions(h)).toContainEqual({ base: 0x4000_0000n, size: 0x8000_0000n, type: 1n, flags: 0n });
    expect(field(h, HO.PSCI, 4)).toBe(1n);
    expect([field(h, HO.CONSOLE + CON.KIND, 4), field(h, HO.CONSOLE + CON.BASE)]).toEqual([1n, 0x0900_0000n]);
    expect(field(h, HO.INITRD_SIZE)).not.toBe(0n);
  });

  it('a first kernel booted by EDK2: the memory comes from the firmware map it points at', () => {
    const bytes = captured('arm64-uefi-kexec.dtb');
    const c = findNode(parseFdt(bytes, 'dtb'), '/chosen')!;
    const map = new DataView(prop(c, 'linux,uefi-mmap-start')!.value.slice().buffer).getBigUint64(0, false);
    const descSize = BigInt(new DataView(prop(c, 'linux,uefi-mmap-desc-size')!.value.slice().buffer).getUint32(0, false));
    const mapSize = new DataView(prop(c, 'linux,uefi-mmap-size')!.value.slice().buffer).getUint32(0, false);
    for (let d = 0n; d < BigInt(mapSize); d += descSize) write(map + d, 8, 0n); // descriptors of nothing
    write(map, 4, 7n); write(map + 8n, 8, 0x4000_0000n); write(map + 24n, 8, 0x8_0000n); write(map + 32n, 8, 0xfn);
    writeBytes(DTB, bytes);
    placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n }, fw.fnv64);
    const h = fw.wayinDtb(DTB, BASE);
    expect(blockRegions(h)).toContainEqual({ base: 0x4000_0000n, size: 0x8000_0000n, type: 1n, flags: 0n });
    expect(findNode(treeAfter(), '/chosen')!.props.map((p) => p.name)).toEqual([]);
  });
});
