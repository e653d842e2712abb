// The x86-64 way in on the host: boot_params as kexec-tools 2.0.25 (kexec_load) and
// kexec_file_load hand them over, built here and captured from real guests, become the
// handoff block and the EFI memory map, with nothing the loader placed offered as free
// memory; the command-line console forms; and a fuzz run over damaged boot_params.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/debian.ts';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { read, write, writeBytes, readBytes } from '../../templates/rt/memory.ts';
import { takeConsole, MachineHalted, guidBytes } from '../../templates/rt/intrinsics.ts';
import { HO, CON } from '../../generator/loader/layout.ts';
import { placeWrapped, blockRegions, blockCmdline, field, type Region } from '../support/wayin.ts';

// One load for the file: each run starts from a cleared block (wrapped() below), as the
// stub's clearing of the zero-filled data gives the blob on every entry.
let fw: Record<string, HostFn>;
beforeAll(async () => {
  fw = await loadTemplate('test/templates/harness/wayin-bootparams.ts');
});
beforeEach(() => void takeConsole());

const BASE = 0x7c00_0000n;
const PAYLOAD = 0x7c10_0000n;
const SCRATCH = 0x9_0000_0000n; // where the EFI memory map is read back
const [BS_DATA, CONVENTIONAL, RESERVED, ACPI_RECLAIM, ACPI_NVS] = [4n, 7n, 0n, 9n, 10n];
const GUID = {
  acpi20: '8868e871-e4f1-11d3-bc22-0080c73c8881', acpi10: 'eb9d2d30-2d88-11d3-9a16-0090273fc14d',
  smbios: 'eb9d2d31-2d88-11d3-9a16-0090273fc14d', smbios3: 'f2fd1544-9794-4a2c-992e-e5bbcf20e394',
};
type E820 = [bigint, bigint, number];

/** The e820 map kexec-tools 2.0.25 passes on a q35 guest with 2 GiB under OVMF (captured). */
const Q35_UEFI: E820[] = [
  [0x400n, 0x9fc00n, 1], [0x10_0000n, 0x70_6000n, 1], [0x80_6000n, 0x2000n, 4], [0x80_8000n, 0x8000n, 1],
  [0x81_0000n, 0xf_0000n, 4], [0x90_0000n, 0x7e1a_0000n, 1], [0x7eaa_0000n, 0x10_2000n, 2], [0x7eba_2000n, 0x94_a000n, 1],
  [0x7f4e_c000n, 0x28_0000n, 2], [0x7f76_c000n, 0x1_2000n, 3], [0x7f77_e000n, 0x8_0000n, 4], [0x7f7f_e000n, 0x6f_6000n, 1],
  [0x7fef_4000n, 0x8_4000n, 2], [0x7ff7_8000n, 0x8_8000n, 4], [0xb000_0000n, 0x1000_0000n, 2], [0xffc0_0000n, 0x40_0000n, 2],
];

interface Node { at: bigint; type: number; data: Uint8Array }
interface ZeroPage {
  bp: bigint; e820: E820[]; e820Count?: number;
  cmdline?: [bigint, string]; initrd?: [bigint, bigint]; rsdp?: bigint;
  efi?: { systab: bigint; memmap?: [bigint, bigint, number] }; nodes?: Node[];
}

const le = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const split = (at: bigint, lo: number, hi: number, v: bigint): void => {
  write(at + BigInt(lo), 4, v & 0xffff_ffffn);
  write(at + BigInt(hi), 4, v >> 32n);
};

/** Writes a zero page as the loaders do: our setup header copied, then their fields. */
function placeZeroPage(z: ZeroPage): void {
  const bp = z.bp;
  writeBytes(bp, new Uint8Array(4096));
  writeBytes(bp + 0x202n, Buffer.from('HdrS'));
  write(bp + 0x206n, 2, 0x20fn);
  write(bp + 0x210n, 1, 0xd0n); // type_of_loader: kexec
  write(bp + 0x1e8n, 1, BigInt(z.e820Count ?? z.e820.length));
  z.e820.forEach(([a, s, t], i) => writeBytes(bp + 0x2d0n + BigInt(20 * i), Uint8Array.from([...le(a, 8), ...le(s, 8), ...le(BigInt(t), 4)])));
  if (z.cmdline) {
    writeBytes(z.cmdline[0], Uint8Array.from([...Buffer.from(z.cmdline[1]), 0]));
    split(bp, 0x228, 0x0c8, z.cmdline[0]);
  }
  if (z.initrd) {
    split(bp, 0x218, 0x0c0, z.initrd[0]);
    split(bp, 0x21c, 0x0c4, z.initrd[1]);
  }
  write(bp + 0x70n, 8, z.rsdp ?? 0n);
  if (z.efi) efiInfo(bp, z.efi.systab, z.efi.memmap);
  chain(bp, z.nodes ?? []);
}

function efiInfo(bp: bigint, systab: bigint, memmap?: [bigint, bigint, number]): void {
  writeBytes(bp + 0x1c0n, Buffer.from('EL64'));
  split(bp, 0x1c4, 0x1d8, systab);
  if (!memmap) return;
  split(bp, 0x1d0, 0x1dc, memmap[0]);
  write(bp + 0x1d4n, 4, memmap[1]);
  write(bp + 0x1c8n, 4, BigInt(memmap[2]));
  write(bp + 0x1ccn, 4, 1n);
}

/** The setup_data chain, in the order given. */
function chain(bp: bigint, nodes: Node[]): void {
  write(bp + 0x250n, 8, nodes[0]?.at ?? 0n);
  nodes.forEach((n, i) => {
    write(n.at, 8, nodes[i + 1]?.at ?? 0n);
    write(n.at + 8n, 4, BigInt(n.type));
    write(n.at + 12n, 4, BigInt(n.data.length));
    writeBytes(n.at + 16n, n.data);
  });
}

const SEED = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const rngNode = (at: bigint, seed = SEED): Node => ({ at, type: 9, data: seed.slice() });
const efiNode = (at: bigint, tables: bigint, smbios: bigint): Node =>
  ({ at, type: 4, data: Uint8Array.from([...le(0x7f52_aa18n, 8), ...le(0n, 8), ...le(tables, 8), ...le(smbios, 8), ...new Array(64).fill(0)]) });
const e820Node = (at: bigint, entries: E820[]): Node =>
  ({ at, type: 1, data: Uint8Array.from(entries.flatMap(([a, s, t]) => [...le(a, 8), ...le(s, 8), ...le(BigInt(t), 4)])) });

/** The firmware's system table and configuration tables; the table pointer as given. */
function firmwareTables(systab: bigint, pointer: bigint, tables: bigint, entries: [string, bigint][]): void {
  write(systab + 0x68n, 8, BigInt(entries.length));
  write(systab + 0x70n, 8, pointer);
  entries.forEach(([g, addr], i) => {
    writeBytes(tables + BigInt(24 * i), Uint8Array.from(guidBytes(g)!));
    write(tables + BigInt(24 * i) + 16n, 8, addr);
  });
}

/** The wrapped image, its record naming no console unless told (memory outlives each test), and a cleared block. */
function wrapped(w: { flags?: number; console?: Uint8Array; trustSize?: bigint } = {}): void {
  writeBytes(fw.hbBlock(), new Uint8Array(0x2900));
  placeWrapped({ base: BASE, payload: PAYLOAD, size: 0x1234n, pages: 2n, console: new Uint8Array(32), ...w }, fw.fnv64);
}

function run(z: ZeroPage, w: { flags?: number; console?: Uint8Array } = {}): bigint {
  placeZeroPage(z);
  wrapped(w);
  return fw.wayinBootParams(z.bp, BASE);
}

interface Desc { type: bigint; start: bigint; pages: bigint }
/** The EFI memory map ram.ts builds from the block, the blob lying in the wrapped image. */
function memoryMap(h: bigint): Desc[] {
  fw.ramInit(h, BASE + 0x1000n, PAYLOAD);
  write(SCRATCH, 8, 0x1_0000n);
  expect(fw.mmGetMap(SCRATCH, SCRATCH + 0x100n, 0n, 0n, 0n)).toBe(0n);
  return Array.from({ length: Number(read(SCRATCH, 8) / 48n) }, (_, i) => {
    const d = SCRATCH + 0x100n + BigInt(i) * 48n;
    return { type: read(d, 4), start: read(d + 8n, 8), pages: read(d + 24n, 8) };
  });
}
const typeAt = (map: Desc[], a: bigint): bigint | undefined => map.find((d) => a >= d.start && a < d.start + d.pages * 0x1000n)?.type;
const freeIn = (map: Desc[], base: bigint, size: bigint): Desc[] =>
  map.filter((d) => d.type === CONVENTIONAL && d.start < base + size && base < d.start + d.pages * 0x1000n);
const taken = (h: bigint): Region[] => blockRegions(h).filter((r) => r.flags === 1n);
const machine = (h: bigint): Region[] => blockRegions(h).filter((r) => r.flags === 0n);
const asRegions = (e820: E820[]): Region[] => e820.map(([base, size, t]) => ({ base, size, type: BigInt(t === 128 ? 1 : t), flags: 0n }));

/** Every range the loader placed, and the initrd, is kept out of the free memory. */
function expectNothingFreeTaken(h: bigint, map: Desc[]): void {
  for (const r of taken(h)) expect(freeIn(map, r.base, r.size), `taken 0x${r.base.toString(16)}`).toEqual([]);
  expect(freeIn(map, field(h, HO.INITRD_ADDR), field(h, HO.INITRD_SIZE))).toEqual([]);
}

function failure(f: () => unknown): string {
  expect(f).toThrow(MachineHalted);
  return takeConsole();
}

describe('the boot_params reader (kexec-tools 2.0.25, kexec_load, a q35 guest with 2 GiB under OVMF)', () => {
  const BP = 0x7fee_9000n; // top-down, the command line one page after it
  const SYSTAB = 0x7f5e_b018n;
  const TABLES = 0x7f5e_bc98n;
  const CMDLINE = 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro console=ttyS0,115200n8';
  const CMDLINE_TAKEN = { base: BP + 0x1000n, size: BigInt(CMDLINE.length + 1), type: 1n, flags: 1n };
  const zp = (over: Partial<ZeroPage> = {}): ZeroPage => ({
    bp: BP, e820: Q35_UEFI, cmdline: [BP + 0x1000n, CMDLINE],
    initrd: [0x7fa4_b000n, 0x49_92e4n], rsdp: 0x7f77_d014n, efi: { systab: SYSTAB, memmap: [0x10_1000n, 0x78n, 40] },
    nodes: [rngNode(0x10_2000n), efiNode(0x10_3000n, TABLES, 0x7f52_0000n)], ...over,
  });

  it('fills the handoff block field by field', () => {
    const h = run(zp());
    expect([field(h, HO.IMAGE_ADDR), field(h, HO.IMAGE_SIZE), field(h, HO.IMAGE_PAGES, 4)]).toEqual([PAYLOAD, 0x1234n, 2n]);
    expect([field(h, HO.INITRD_ADDR), field(h, HO.INITRD_SIZE)]).toEqual([0x7fa4_b000n, 0x49_92e4n]);
    expect([field(h, HO.DTB_ADDR), field(h, HO.DTB_SIZE), field(h, HO.PSCI, 4)]).toEqual([0n, 0n, 0n]);
    expect(blockCmdline(h)).toBe(CMDLINE);
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0x7f77_d014n, 0x7f52_0000n]);
    expect(readBytes(h + BigInt(HO.RNG_SEED), 32)).toEqual(SEED);
    const con = [CON.KIND, CON.SPACE, CON.BASE, CON.SHIFT, CON.WIDTH, CON.BAUD].map((o) => field(h, HO.CONSOLE + o, o === CON.BASE ? 8 : 4));
    expect(con).toEqual([2n, 1n, 0x3f8n, 0n, 1n, 115200n]);
    expect(machine(h)).toEqual(asRegions(Q35_UEFI));
    expect(taken(h)).toEqual([
      { base: BASE, size: PAYLOAD - BASE, type: 1n, flags: 1n }, { base: BP, size: 0x1000n, type: 1n, flags: 1n },
      { base: 0x10_2000n, size: 48n, type: 1n, flags: 1n }, { base: 0x10_3000n, size: 112n, type: 1n, flags: 1n },
      CMDLINE_TAKEN, { base: 0x7fa4_b000n, size: 0x49_92e4n, type: 1n, flags: 1n },
      { base: 0x10_1000n, size: 0x78n, type: 1n, flags: 1n },
    ]);
    expect(takeConsole()).toBe('');
  });

  it('wipes the RNG seed in place, as Linux does', () => {
    run(zp());
    expect(readBytes(0x10_2010n, 32)).toEqual(new Uint8Array(32));
  });

  it('yields an EFI memory map in which nothing the loader placed is free', () => {
    const h = run(zp());
    const map = memoryMap(h);
    expectNothingFreeTaken(h, map);
    for (const a of [BP, BP + 0x1000n, 0x10_1000n, 0x10_2000n, 0x10_3000n, 0x7fa4_b000n, BASE]) expect(typeAt(map, a)).toBe(BS_DATA);
    expect(typeAt(map, 0x90_0000n)).toBe(CONVENTIONAL);
    expect(typeAt(map, 0x10_4000n)).toBe(CONVENTIONAL);
    expect(typeAt(map, 0x80_6000n)).toBe(ACPI_NVS);
    expect(typeAt(map, 0x7f76_c000n)).toBe(ACPI_RECLAIM);
    expect(typeAt(map, 0xb000_0000n)).toBe(RESERVED);
  });

  it('finds the ACPI RSDP through SETUP_EFI\'s physical table address when boot_params has none', () => {
    firmwareTables(SYSTAB, 0xffff_ffef_0000_0c98n, TABLES, [[GUID.smbios3, 0x7f51_f000n], [GUID.acpi20, 0x7f77_d014n]]);
    const h = run(zp({ rsdp: 0n }));
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0x7f77_d014n, 0x7f52_0000n]);
  });

  it('takes SMBIOS from the tables when SETUP_EFI has none (EFI_INVALID_TABLE_ADDR)', () => {
    firmwareTables(SYSTAB, 0n, TABLES, [[GUID.smbios, 0x7f52_0000n], [GUID.smbios3, 0x7f51_f000n]]);
    const h = run(zp({ nodes: [efiNode(0x10_3000n, TABLES, 0xffff_ffff_ffff_ffffn)] }));
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0x7f77_d014n, 0x7f51_f000n]);
  });

  it('without SETUP_EFI, translates the system table\'s virtual table pointer through the runtime map', () => {
    const MAP = 0x10_1000n;
    const VIRT = 0xffff_ffef_0000_0000n;
    write(MAP, 4, 6n); write(MAP + 8n, 8, 0x7f4e_c000n); write(MAP + 16n, 8, VIRT); write(MAP + 24n, 8, 0x280n);
    write(MAP + 32n, 8, 0x8000_0000_0000_000fn); // runtime services data, EFI_MEMORY_RUNTIME
    for (let d = MAP + 40n; d < MAP + 0x78n; d += 8n) write(d, 8, 0n);
    firmwareTables(SYSTAB, VIRT + (TABLES - 0x7f4e_c000n), TABLES, [[GUID.acpi20, 0x7f77_d014n]]);
    const h = run(zp({ rsdp: 0n, nodes: [rngNode(0x10_2000n)] }));
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0x7f77_d014n, 0n]);
  });

  it('falls back to an ACPI 1.0 RSDP', () => {
    firmwareTables(SYSTAB, 0n, TABLES, [[GUID.acpi10, 0xf_5a00n]]);
    expect(field(run(zp({ rsdp: 0n })), HO.ACPI_RSDP)).toBe(0xf_5a00n);
  });

  it('reads no firmware tables without EL64 in efi_info', () => {
    const h = run(zp({ rsdp: 0n, efi: undefined, nodes: [] }));
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([0n, 0n]);
  });

  it('adds SETUP_E820_EXT entries after the 128 of the zero page', () => {
    const many: E820[] = Array.from({ length: 128 }, (_, i) => [0x1_0000_0000n + BigInt(i) * 0x20_0000n, 0x10_0000n, i % 2 ? 2 : 1]);
    const ext: E820[] = [[0x2_0000_0000n, 0x4000_0000n, 1], [0x2_4000_0000n, 0x1000n, 7], [0x2_5000_0000n, 0x1000n, 12]];
    const h = run(zp({ e820: [...Q35_UEFI.slice(0, 5), ...many.slice(5)], nodes: [e820Node(0x10_2000n, ext)] }));
    expect(machine(h)).toEqual(asRegions([...Q35_UEFI.slice(0, 5), ...many.slice(5), ...ext]));
  });

  it('passes no command line to a UKI with its own .cmdline, but keeps it taken and reads its console', () => {
    const h = run(zp(), { flags: 1 });
    expect([field(h, HO.CMDLINE_ADDR), field(h, HO.CMDLINE_SIZE)]).toEqual([0n, 0n]);
    expect(taken(h)).toContainEqual(CMDLINE_TAKEN);
    expect(field(h, HO.CONSOLE + CON.BASE)).toBe(0x3f8n);
  });

  it('flags a platform that booted with Secure Boot (boot_params.secure_boot 3); a trust list goes into the payload check', () => {
    const check = (h: bigint): bigint => h + field(h, HO.DIGESTS_OFFSET) + 24n;
    const plain = run(zp());
    expect([field(plain, HO.FLAGS), read(check(plain), 8)]).toEqual([0n, 0n]);
    placeZeroPage(zp());
    wrapped({ trustSize: 0x48n });
    write(BP + 0x1ecn, 1, 3n);
    const h = fw.wayinBootParams(BP, BASE);
    write(BP + 0x1ecn, 1, 0n); // memory outlives the test
    expect(field(h, HO.FLAGS)).toBe(1n);
    expect(read(check(h), 8)).toBe(PAYLOAD + 0x1238n); // the list right after the payload, 8-aligned
    expect(takeConsole()).toBe('');
  });

  it('keeps the console the wrap record names over the command line\'s', () => {
    const con = Uint8Array.from([...le(2n, 4), ...le(0n, 4), ...le(0xfe21_5040n, 8), ...le(2n, 4), ...le(4n, 4), ...le(0n, 8)]);
    const h = run(zp(), { console: con });
    expect(readBytes(h + BigInt(HO.CONSOLE), 32)).toEqual(con);
  });
});

describe('the boot_params reader (kexec_file_load: one parameter segment)', () => {
  const BP = 0x9_8000n; // boot_params, the command line at +0x1000, the runtime map, then setup_data
  const e820: E820[] = [
    [0n, 0xa_0000n, 1], [0x10_0000n, 0x70_6000n, 1], [0x80_6000n, 0x2000n, 4], [0x90_0000n, 0x7b7e_6018n, 1],
    [0x7c0e_6018n, 0x9c40n, 128], [0x7c0e_fc58n, 0x29b_03a8n, 1], [0x7f76_c000n, 0x1_2000n, 3], [0xb000_0000n, 0x1000_0000n, 2],
  ];
  const page = (over: Partial<ZeroPage> = {}): ZeroPage => ({
    bp: BP, e820, cmdline: [BP + 0x1000n, 'root=/dev/vda1 earlycon=uart8250,mmio32,0xfedc9000,115200'], initrd: [0x7876_6000n, 0x49_92e4n],
    rsdp: 0x7f77_d014n, efi: { systab: 0x7f5e_b018n, memmap: [0x9_9040n, 0x150n, 48] },
    nodes: [rngNode(0x9_9200n), efiNode(0x9_9230n, 0x7f5e_bc98n, 0x7f52_0000n)], ...over,
  });

  it('reads the segment, E820_TYPE_RESERVED_KERN as RAM, and an MMIO earlycon', () => {
    const h = run(page());
    expect(machine(h)).toEqual(asRegions(e820));
    const con = [CON.KIND, CON.SPACE, CON.BASE, CON.SHIFT, CON.WIDTH, CON.BAUD].map((o) => field(h, HO.CONSOLE + o, o === CON.BASE ? 8 : 4));
    expect(con).toEqual([2n, 0n, 0xfedc_9000n, 2n, 4n, 115200n]);
    const map = memoryMap(h);
    expectNothingFreeTaken(h, map);
    for (const a of [BP, BP + 0x1000n, 0x9_9040n, 0x9_9200n]) expect(typeAt(map, a)).toBe(BS_DATA);
  });

  it('joins the ext_ halves of the command line and initrd above 4 GiB', () => {
    const h = run(page({ cmdline: [0x1_2345_6000n, 'quiet'], initrd: [0x1_7000_0000n, 0x1_0000_1000n], e820: [...e820, [0x1_0000_0000n, 0x8000_0000n, 1]] }));
    expect(blockCmdline(h)).toBe('quiet');
    expect([field(h, HO.INITRD_ADDR), field(h, HO.INITRD_SIZE)]).toEqual([0x1_7000_0000n, 0x1_0000_1000n]);
    expect(taken(h)).toContainEqual({ base: 0x1_2345_6000n, size: 6n, type: 1n, flags: 1n });
  });
});

describe('the command-line console', () => {
  const consoleOf = (cmdline: string): bigint[] => {
    const h = run({ bp: 0x9_8000n, e820: [[0x10_0000n, 0x7000_0000n, 1]], cmdline: [0x9_9000n, cmdline] });
    return [CON.KIND, CON.SPACE, CON.BASE, CON.SHIFT, CON.WIDTH, CON.BAUD].map((o) => field(h, HO.CONSOLE + o, o === CON.BASE ? 8 : 4));
  };
  const io = (port: bigint, baud = 0n): bigint[] => [2n, 1n, port, 0n, 1n, baud];
  const mmio = (addr: bigint, shift: bigint, width: bigint, baud = 0n): bigint[] => [2n, 0n, addr, shift, width, baud];
  const none = [0n, 0n, 0n, 0n, 0n, 0n];

  it.each([
    ['console=ttyS0', io(0x3f8n)], ['console=ttyS1,115200n8', io(0x2f8n, 115200n)], ['console=ttyS2,9600', io(0x3e8n, 9600n)],
    ['console=ttyS3', io(0x2e8n)],
    ['earlycon=uart8250,io,0x3f8,115200n8', io(0x3f8n, 115200n)], ['earlycon=uart8250,io,1016', io(0x3f8n)],
    ['earlycon=uart8250,mmio,0xfe215040', mmio(0xfe21_5040n, 0n, 1n)],
    ['earlycon=uart8250,mmio16,0xFE000000,57600', mmio(0xfe00_0000n, 1n, 2n, 57600n)],
    ['earlycon=uart8250,mmio32,0xfedc9000,115200', mmio(0xfedc_9000n, 2n, 4n, 115200n)],
    ['earlycon=uart,mmio32,0xfedc9000', mmio(0xfedc_9000n, 2n, 4n)], ['earlycon=uart8250,0x9000000', mmio(0x900_0000n, 0n, 1n)],
    ['console=uart8250,io,0x2f8,38400', io(0x2f8n, 38400n)], ['console=uart,mmio,0x40001000', mmio(0x4000_1000n, 0n, 1n)],
    ['console=ttyS0 earlycon=uart8250,io,0x2f8 console=tty0', io(0x2f8n)],
    ['earlycon=uart8250,io,0x2f8 console=ttyS0,115200', io(0x3f8n, 115200n)],
    ['console=ttyS1 foo="bar console=ttyS0"', io(0x2f8n)], ['"console=ttyS2"', io(0x3e8n)], ['console="ttyS3,9600"', io(0x2e8n, 9600n)],
    ['console=ttyS0 -- console=ttyS1', io(0x3f8n)], ['console=ttyS1,99999999999', io(0x2f8n)],
  ])('%s', (cmdline, expected) => {
    expect(consoleOf(cmdline)).toEqual(expected);
  });

  it.each([
    'console=tty0', 'console=hvc0', 'root=/dev/vda1', '', 'console=ttyS4', 'console=ttyS10', 'earlycon', 'earlycon=efifb',
    'earlycon=uart8250,mmio32be,0xfedc9000', 'earlycon=uart8250,io,0x10000', 'earlycon=uart8250,io,0', 'earlycon=ttyS0',
    'earlycon=uart8250,mmio,0x1ffffffffffffffffff', 'xconsole=ttyS0', 'console=uart8250,foo,0x3f8',
  ])('%s names no UART we drive', (cmdline) => {
    expect(consoleOf(cmdline)).toEqual(none);
  });
});

describe('the boot_params reader refuses what it cannot use, with one line', () => {
  const BP = 0x9_8000n;
  const good = (over: Partial<ZeroPage> = {}): ZeroPage => ({ bp: BP, e820: [[0x10_0000n, 0x7000_0000n, 1]], cmdline: [0x9_9000n, 'quiet'], ...over });
  const error = (f: () => unknown): string => failure(f).replace(/^gen-purgatory: error: /, '');

  it.each([
    ['no zero page', () => fw.wayinBootParams(0n, BASE), /^boot_params: no zero page .* 0x0\n$/],
    ['an unaligned one', () => fw.wayinBootParams(BP + 4n, BASE), /^boot_params: no zero page .* 0x98004\n$/],
  ])('%s', (_what, f, re) => {
    placeZeroPage(good());
    wrapped();
    expect(error(f)).toMatch(re);
  });

  it('no HdrS', () => {
    placeZeroPage(good());
    write(BP + 0x202n, 4, 0n);
    wrapped();
    expect(error(() => fw.wayinBootParams(BP, BASE))).toMatch(/^boot_params: no zero page/);
  });

  it('more than 128 e820 entries', () => {
    expect(error(() => run(good({ e820Count: 129 })))).toBe('boot_params: more e820 entries than the zero page holds (128): 0x81\n');
  });

  it('no usable RAM', () => {
    expect(error(() => run(good({ e820: [[0xb000_0000n, 0x1000n, 2]] })))).toMatch(/^boot_params: no usable RAM .* 0x98000\n$/);
  });

  it('a setup_data loop', () => {
    placeZeroPage(good({ nodes: [rngNode(0x9_a000n)] }));
    write(0x9_a000n, 8, 0x9_a000n);
    wrapped();
    expect(error(() => fw.wayinBootParams(BP, BASE))).toBe('boot_params: setup_data chain longer than 64 nodes (a loop?), at 0x9a000\n');
  });

  it('an unaligned setup_data node', () => {
    expect(error(() => run(good({ nodes: [rngNode(0x9_a004n)] })))).toBe('boot_params: setup_data node not 8-aligned, at 0x9a004\n');
  });

  it('a seed of more than 4 KiB, a short SETUP_EFI, a SETUP_E820_EXT longer than the block', () => {
    expect(error(() => run(good({ nodes: [rngNode(0x9_a000n, new Uint8Array(4097))] })))).toMatch(/SETUP_RNG_SEED longer than 4096 bytes, length 0x1001/);
    expect(error(() => run(good({ nodes: [{ at: 0x9_a000n, type: 4, data: new Uint8Array(24) }] })))).toMatch(/SETUP_EFI node too short, length 0x18/);
    expect(error(() => run(good({ nodes: [{ at: 0x9_a000n, type: 1, data: new Uint8Array(20 * 257) }] })))).toMatch(/SETUP_E820_EXT longer .* entries 0x101/);
  });

  it('a command line without its NUL', () => {
    writeBytes(0x9_9000n, new Uint8Array(4200).fill(0x61));
    placeZeroPage(good({ cmdline: undefined }));
    write(BP + 0x228n, 4, 0x9_9000n);
    wrapped();
    expect(error(() => fw.wayinBootParams(BP, BASE))).toBe('boot_params: command line without a NUL in its first 4096 bytes, at 0x99000\n');
  });

  it('an initrd that runs past the top of memory', () => {
    expect(error(() => run(good({ initrd: [0xffff_ffff_ffff_f000n, 0x2000n] })))).toMatch(/runs past the top of memory, at 0xfffffffffffff000/);
  });
});

describe('the boot_params reader on boot_params captured from real guests (test/fixtures/captured)', () => {
  const DIR = join(ROOT, 'test/fixtures/captured');
  const files = readdirSync(DIR);
  const CMDLINE = 'BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=ttyS0,115200';
  /** The captured EFI systems' firmware: system table, tables (physical), RSDP and SMBIOS. */
  const SYSTAB = 0x7f5e_b018n;
  const TABLES = 0x7f5e_bc98n;

  /** Puts a captured zero page at `bp` with its command line and its setup_data chain, packed from its head. */
  function placeCaptured(name: string, bp: bigint): Uint8Array {
    const bytes = new Uint8Array(readFileSync(join(DIR, `${name}.boot_params`)));
    // The EFI stub's own zero page has no setup header; a loader entering us copies ours.
    if (bytes[0x202] === 0) bytes.set(Buffer.from('HdrS'), 0x202);
    writeBytes(bp, bytes);
    const dv = new DataView(bytes.buffer);
    writeBytes(BigInt(dv.getUint32(0x228, true)), Uint8Array.from([...Buffer.from(CMDLINE), 0]));
    const data = files.filter((f) => f.startsWith(`${name}.setup_data-`)).sort().map((f) => ({
      type: parseInt(f.replace(/.*-type-(0x[0-9a-f]+)\.bin$/, '$1'), 16),
      // The kernel wiped the seed it was given (README); the loaders pass 32 bytes.
      data: f.includes('type-0x9.') ? SEED.slice() : new Uint8Array(readFileSync(join(DIR, f))),
    }));
    let at = dv.getBigUint64(0x250, true);
    const nodes: Node[] = data.map((d) => { const n = { at, ...d }; at += (16n + BigInt(d.data.length) + 7n) & ~7n; return n; });
    chain(bp, nodes);
    firmwareTables(SYSTAB, TABLES, TABLES, [[GUID.acpi20, 0x7f77_d014n], [GUID.smbios3, 0x7f51_f000n]]);
    return bytes;
  }

  const cases: [string, bigint, bigint, bigint][] = [
    // name, where boot_params lie, the ACPI RSDP and SMBIOS we expect
    ['x86_64-direct-kexec', 0x7ffd_4000n, 0xf_59e0n, 0n],
    ['x86_64-direct-kexec-file', 0x9_8000n, 0xf_59e0n, 0n],
    ['x86_64-uefi-kexec', 0x7fee_9000n, 0x7f77_d014n, 0x7f52_0000n],
    ['x86_64-uefi-kexec-file', 0x9_8000n, 0x7f77_d014n, 0x7f52_0000n],
    ['x86_64-direct', 0x1_0000n, 0xf_59e0n, 0n],
    ['x86_64-uefi', 0x1_0000n, 0x7f77_d014n, 0x7f51_f000n], // no acpi_rsdp_addr, no SETUP_EFI: the tables
  ];

  it.each(cases)('%s', (name, bp, rsdp, smbios) => {
    expect(files).toContain(`${name}.boot_params`);
    const bytes = placeCaptured(name, bp);
    wrapped();
    const h = fw.wayinBootParams(bp, BASE);
    const dv = new DataView(bytes.buffer);
    const e820: E820[] = Array.from({ length: bytes[0x1e8] }, (_, i) =>
      [dv.getBigUint64(0x2d0 + 20 * i, true), dv.getBigUint64(0x2d8 + 20 * i, true), dv.getUint32(0x2e0 + 20 * i, true)]);
    expect(machine(h)).toEqual(asRegions(e820));
    expect(blockCmdline(h)).toBe(CMDLINE);
    expect([field(h, HO.INITRD_ADDR), field(h, HO.INITRD_SIZE)]).toEqual([BigInt(dv.getUint32(0x218, true)), BigInt(dv.getUint32(0x21c, true))]);
    expect([field(h, HO.ACPI_RSDP), field(h, HO.SMBIOS)]).toEqual([rsdp, smbios]);
    expect([field(h, HO.CONSOLE + CON.KIND, 4), field(h, HO.CONSOLE + CON.BASE), field(h, HO.CONSOLE + CON.BAUD, 4)]).toEqual([2n, 0x3f8n, 115200n]);
    expect(taken(h)).toContainEqual({ base: bp, size: 0x1000n, type: 1n, flags: 1n });
    expectNothingFreeTaken(h, memoryMap(h));
    expect(takeConsole()).toBe('');
  });
});

describe('the boot_params reader under mutation', () => {
  const BP = 0x7fee_9000n;
  const FIELDS = [0x70, 0x74, 0xc0, 0xc4, 0xc8, 0x1c0, 0x1c4, 0x1c8, 0x1d0, 0x1d4, 0x1d8, 0x1dc, 0x1e8, 0x202, 0x218, 0x21c, 0x228, 0x250, 0x254, 0x2d0];
  const NODES = [0x10_2000n, 0x10_3000n, 0x10_4000n];

  it('meets any damaged boot_params with a returned block or its own failure line', () => {
    let seed = 0x2545_f491;
    const rand = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; }; // high bits: an LCG's low ones repeat
    const randBig = (): bigint => [0n, 1n, 0xffff_ffffn, 0xffff_ffff_ffff_fff8n, BigInt(rand(0x1_0000)) << BigInt(rand(48)), NODES[rand(3)], NODES[rand(3)] + BigInt(rand(64))][rand(7)];
    const counts = { ok: 0, failed: 0 };
    for (let i = 0; i < 400; i++) {
      const z: ZeroPage = {
        bp: BP, e820: Q35_UEFI, cmdline: [BP + 0x1000n, 'root=/dev/vda1 console=ttyS0,115200 earlycon=uart8250,mmio32,0xfe000000'],
        initrd: [0x7fa4_b000n, 0x49_92e4n], rsdp: 0n, efi: { systab: 0x7f5e_b018n, memmap: [0x10_1000n, 0x78n, 40] },
        nodes: [rngNode(NODES[0]), efiNode(NODES[1], 0x7f5e_bc98n, 0n), e820Node(NODES[2], Q35_UEFI.slice(0, 3))],
      };
      placeZeroPage(z);
      firmwareTables(0x7f5e_b018n, 0x7f5e_bc98n, 0x7f5e_bc98n, [[GUID.acpi20, 0x7f77_d014n]]);
      wrapped();
      mutate(rand, randBig);
      try {
        memoryMap(fw.wayinBootParams(BP, BASE));
        counts.ok++;
      } catch (e) {
        if (!(e instanceof MachineHalted)) throw e;
        expect(takeConsole()).toMatch(/^gen-purgatory: error: [^\n]+\n$/);
        counts.failed++;
      }
    }
    expect(counts.ok).toBeGreaterThan(20);
    expect(counts.failed).toBeGreaterThan(20);
  });

  /** One to four damages: a field, a random byte of the page, a node's header, the e820 count, the command line. */
  function mutate(rand: (n: number) => number, randBig: () => bigint): void {
    for (let k = 0; k < 1 + rand(4); k++) {
      const what = rand(6);
      if (what === 0) write(BP + BigInt(FIELDS[rand(FIELDS.length)]), [1, 2, 4, 8][rand(4)], randBig());
      else if (what === 1) write(BP + BigInt(rand(4096)), 1, BigInt(rand(256)));
      else if (what === 2) write(NODES[rand(3)] + BigInt([0, 8, 12][rand(3)]), rand(2) ? 4 : 8, randBig());
      else if (what === 3) write(BP + 0x1e8n, 1, BigInt(rand(256)));
      else if (what === 4) writeBytes(BP + 0x1000n, new Uint8Array(rand(2) ? 80 : 4200).fill(0x30 + rand(60)));
      else write(BP + 0x1000n + BigInt(rand(80)), 1, BigInt(rand(256)));
    }
  }
});
