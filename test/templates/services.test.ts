// The service tables on the host: EFI_BOOT_SERVICES and EFI_RUNTIME_SERVICES slot by
// slot (called through the table, as an image does), their headers, the system and
// configuration tables, and efiMain up to and past the kernel image's entry point.
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { crc32 } from 'node:zlib';
import { loadTemplate } from '../support/templates.ts';
import { read, write, readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { guid, fnaddr, callptr, takeConsole, setArchParams, MachineHalted } from '../../templates/rt/intrinsics.ts';
import { buildHandoff, type HandoffInput } from '../../generator/loader/handoff.ts';
import { RegionType } from '../../generator/loader/memory.ts';
import { craftPe } from '../formats/craft.ts';
import { SUCCESS, INVALID, UNSUPPORTED, OUT_OF_RESOURCES, NOT_FOUND, ABORTED } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint;
const load = async (): Promise<Record<string, Fn>> =>
  (await loadTemplate('test/templates/harness/services.ts')) as Record<string, Fn>;

const REVISION = (2n << 16n) | 100n;
const [LOADER_DATA, BS_DATA, CONVENTIONAL] = [2n, 4n, 7n];

const RAM = 0x8000_0000n;
const RAM_PAGES = 0x400n;
const OUT = 0x30_0000n;
const MAP = 0x31_0000n;
const BUF = 0x32_0000n;

const BOOT = [
  'RaiseTPL', 'RestoreTPL', 'AllocatePages', 'FreePages', 'GetMemoryMap', 'AllocatePool', 'FreePool',
  'CreateEvent', 'SetTimer', 'WaitForEvent', 'SignalEvent', 'CloseEvent', 'CheckEvent',
  'InstallProtocolInterface', 'ReinstallProtocolInterface', 'UninstallProtocolInterface', 'HandleProtocol',
  'Reserved', 'RegisterProtocolNotify', 'LocateHandle', 'LocateDevicePath', 'InstallConfigurationTable',
  'LoadImage', 'StartImage', 'Exit', 'UnloadImage', 'ExitBootServices', 'GetNextMonotonicCount', 'Stall',
  'SetWatchdogTimer', 'ConnectController', 'DisconnectController', 'OpenProtocol', 'CloseProtocol',
  'OpenProtocolInformation', 'ProtocolsPerHandle', 'LocateHandleBuffer', 'LocateProtocol',
  'InstallMultipleProtocolInterfaces', 'UninstallMultipleProtocolInterfaces', 'CalculateCrc32', 'CopyMem',
  'SetMem', 'CreateEventEx',
] as const;
const RUNTIME = [
  'GetTime', 'SetTime', 'GetWakeupTime', 'SetWakeupTime', 'SetVirtualAddressMap', 'ConvertPointer',
  'GetVariable', 'GetNextVariableName', 'SetVariable', 'GetNextHighMonotonicCount', 'ResetSystem',
  'UpdateCapsule', 'QueryCapsuleCapabilities', 'QueryVariableInfo',
] as const;
type Boot = (typeof BOOT)[number];
type Runtime = (typeof RUNTIME)[number];

/** Boot services that are a module's exported function, put in the table as they are. */
const DELEGATED: [Boot, string][] = [
  ['AllocatePages', 'mmAllocate'], ['FreePages', 'mmFree'], ['GetMemoryMap', 'mmGetMap'],
  ['AllocatePool', 'poolAllocate'], ['FreePool', 'poolFree'], ['ReinstallProtocolInterface', 'hdReinstall'],
  ['UninstallProtocolInterface', 'hdUninstall'], ['HandleProtocol', 'hdHandleProtocol'],
  ['LocateHandle', 'hdLocateHandle'], ['LocateDevicePath', 'hdLocateDevicePath'],
  ['InstallConfigurationTable', 'installConfigurationTable'], ['LoadImage', 'efiLoadImage'],
  ['StartImage', 'efiStartImage'], ['Exit', 'efiExit'], ['UnloadImage', 'efiUnloadImage'],
  ['OpenProtocol', 'hdOpenProtocol'], ['CloseProtocol', 'hdCloseProtocol'],
  ['OpenProtocolInformation', 'hdOpenProtocolInformation'], ['ProtocolsPerHandle', 'hdProtocolsPerHandle'],
  ['LocateHandleBuffer', 'hdLocateHandleBuffer'], ['LocateProtocol', 'hdLocateProtocol'],
  ['InstallMultipleProtocolInterfaces', 'hdInstallMultiple'],
  ['UninstallMultipleProtocolInterfaces', 'hdUninstallMultiple'], ['CalculateCrc32', 'calculateCrc32'],
];
/** The stubs and the exact line each prints (after "gen-purgatory: "). */
const BOOT_STUBS: [Boot, string][] = [
  ...(['CreateEvent', 'SetTimer', 'WaitForEvent', 'SignalEvent', 'CloseEvent', 'CheckEvent', 'RegisterProtocolNotify',
    'ConnectController', 'DisconnectController', 'CreateEventEx'] as const).map((n): [Boot, string] => [n, `${n}: not supported, EFI_UNSUPPORTED`]),
  ['Reserved', 'Reserved boot service slot: not supported, EFI_UNSUPPORTED'],
];
const RUNTIME_STUBS: [Runtime, string][] = [
  ['GetTime', 'GetTime: no clock, EFI_UNSUPPORTED'], ['SetTime', 'SetTime: no clock, EFI_UNSUPPORTED'],
  ['GetWakeupTime', 'GetWakeupTime: no clock, EFI_UNSUPPORTED'], ['SetWakeupTime', 'SetWakeupTime: no clock, EFI_UNSUPPORTED'],
  ['GetNextHighMonotonicCount', 'GetNextHighMonotonicCount: not supported, EFI_UNSUPPORTED'],
  ['UpdateCapsule', 'UpdateCapsule: not supported, EFI_UNSUPPORTED'],
  ['QueryCapsuleCapabilities', 'QueryCapsuleCapabilities: not supported, EFI_UNSUPPORTED'],
  ['QueryVariableInfo', 'QueryVariableInfo: no variable store, EFI_UNSUPPORTED'],
];

/** A table's header fields, and its CRC recomputed by zlib with the CRC field zero. */
function header(t: bigint): { sig: string; revision: bigint; size: bigint; crc: bigint; reserved: bigint; expected: bigint } {
  const size = read(t + 12n, 4);
  const bytes = readBytes(t, Number(size));
  bytes.fill(0, 16, 20);
  return {
    sig: Buffer.from(readBytes(t, 8)).toString('latin1'), revision: read(t + 8n, 4), size,
    crc: read(t + 16n, 4), reserved: read(t + 20n, 4), expected: BigInt(crc32(bytes)),
  };
}

/** The services tables of one module load, and calls through them. */
class Tables {
  constructor(readonly t: Record<string, Fn>, readonly bs: bigint, readonly rt: bigint) {}
  static make(t: Record<string, Fn>): Tables {
    return new Tables(t, t.bsInit(), t.rtInit());
  }
  bsSlot(name: Boot): bigint {
    return read(this.bs + 0x18n + BigInt(BOOT.indexOf(name)) * 8n, 8);
  }
  rtSlot(name: Runtime): bigint {
    return read(this.rt + 0x18n + BigInt(RUNTIME.indexOf(name)) * 8n, 8);
  }
  boot(name: Boot, ...args: bigint[]): bigint {
    return callptr(this.bsSlot(name), ...args);
  }
  runtime(name: Runtime, ...args: bigint[]): bigint {
    return callptr(this.rtSlot(name), ...args);
  }
  /** GetMemoryMap through the table: the map key. */
  mapKey(): bigint {
    write(OUT, 8, 0x1000n);
    expect(this.boot('GetMemoryMap', OUT, MAP, OUT + 8n, OUT + 16n, OUT + 24n)).toBe(SUCCESS);
    expect([read(OUT + 16n, 8), read(OUT + 24n, 4)]).toEqual([48n, 1n]);
    return read(OUT + 8n, 8);
  }
}

function freshMachine(t: Record<string, Fn>): void {
  t.mmReset();
  t.mmAdd(RAM, RAM_PAGES, CONVENTIONAL, 8n);
  t.hdReset();
  t.imgReset();
  takeConsole();
}

describe('the boot and runtime services tables', () => {
  let x: Tables;
  beforeAll(async () => { x = Tables.make(await load()); });
  beforeEach(() => freshMachine(x.t));

  it('have EFI table headers with a CRC32 taken with the CRC field zero', () => {
    const bs = header(x.bs);
    expect(bs).toMatchObject({ sig: 'BOOTSERV', revision: REVISION, size: 0x18n + 44n * 8n, reserved: 0n });
    expect(bs.crc).toBe(bs.expected);
    const rt = header(x.rt);
    expect(rt).toMatchObject({ sig: 'RUNTSERV', revision: REVISION, size: 0x18n + 14n * 8n, reserved: 0n });
    expect(rt.crc).toBe(rt.expected);
    expect(x.t.bsInit()).toBe(x.bs); // the same table every time, still valid
    expect(header(x.bs).crc).toBe(bs.expected);
  });

  it('fill all 44 and 14 slots with distinct functions', () => {
    const slots = [...BOOT.map((n) => x.bsSlot(n)), ...RUNTIME.map((n) => x.rtSlot(n))];
    expect(slots.every((s) => s !== 0n)).toBe(true);
    expect(new Set(slots).size).toBe(44 + 14);
  });

  it('put the modules\' own services straight into the boot services table', () => {
    for (const [slot, fn] of DELEGATED) expect([slot, x.bsSlot(slot)]).toEqual([slot, fnaddr(x.t[fn])]);
    const own = new Set(DELEGATED.map(([, fn]) => fnaddr(x.t[fn])));
    for (const n of BOOT.filter((b) => !DELEGATED.some(([s]) => s === b))) expect(own.has(x.bsSlot(n))).toBe(false);
  });

  it('reach the memory services through the table', () => {
    write(OUT, 8, 0n);
    expect(x.boot('AllocatePages', 0n, LOADER_DATA, 2n, OUT)).toBe(SUCCESS);
    const pages = read(OUT, 8);
    expect(pages).toBe(RAM + (RAM_PAGES - 2n) * 0x1000n);
    expect(x.boot('FreePages', pages, 2n)).toBe(SUCCESS);
    expect(x.boot('AllocatePool', LOADER_DATA, 100n, OUT)).toBe(SUCCESS);
    expect(x.boot('FreePool', read(OUT, 8))).toBe(SUCCESS);
    write(OUT, 8, 0n);
    expect(x.boot('GetMemoryMap', OUT, MAP, OUT + 8n, OUT + 16n, OUT + 24n)).toBe(0x8000_0000_0000_0005n);
    expect(read(OUT, 8) % 48n).toBe(0n);
  });

  it('RaiseTPL returns the previous level and RestoreTPL puts it back', () => {
    expect(x.boot('RaiseTPL', 16n)).toBe(4n); // TPL_NOTIFY over TPL_APPLICATION
    expect(x.boot('RaiseTPL', 31n)).toBe(16n);
    x.boot('RestoreTPL', 16n);
    x.boot('RestoreTPL', 4n);
    expect(x.boot('RaiseTPL', 4n)).toBe(4n);
    expect(takeConsole()).toBe('');
  });

  it('InstallProtocolInterface takes native interfaces only', () => {
    const g = guid('0b0b0b0b-1111-2222-3333-444455556666');
    write(OUT, 8, 0n);
    expect(x.boot('InstallProtocolInterface', OUT, g, 1n, 0x1234n)).toBe(INVALID);
    expect(read(OUT, 8)).toBe(0n);
    expect(x.boot('InstallProtocolInterface', OUT, g, 0n, 0x1234n)).toBe(SUCCESS);
    const h = read(OUT, 8);
    expect(h).not.toBe(0n);
    expect(x.boot('HandleProtocol', h, g, OUT + 8n)).toBe(SUCCESS);
    expect(read(OUT + 8n, 8)).toBe(0x1234n);
    expect(x.boot('UninstallProtocolInterface', h, g, 0x1234n)).toBe(SUCCESS);
  });

  it('GetNextMonotonicCount counts up by one and refuses NULL', () => {
    expect(x.boot('GetNextMonotonicCount', 0n)).toBe(INVALID);
    expect(x.boot('GetNextMonotonicCount', OUT)).toBe(SUCCESS);
    const first = read(OUT, 8);
    expect(x.boot('GetNextMonotonicCount', OUT)).toBe(SUCCESS);
    expect(read(OUT, 8)).toBe(first + 1n);
  });

  it('Stall waits at least as long as asked; SetWatchdogTimer accepts anything', () => {
    const t0 = process.hrtime.bigint();
    expect(x.boot('Stall', 3000n)).toBe(SUCCESS);
    expect(process.hrtime.bigint() - t0).toBeGreaterThanOrEqual(3_000_000n);
    expect(x.boot('Stall', 0n)).toBe(SUCCESS);
    expect(x.boot('SetWatchdogTimer', 0n, 0n, 0n, 0n)).toBe(SUCCESS); // Linux disables it
    expect(x.boot('SetWatchdogTimer', 300n, 0x10000n, 4n, BUF)).toBe(SUCCESS);
    expect(takeConsole()).toBe('');
  });

  it('CopyMem handles overlap both ways; SetMem uses the low byte of its value', () => {
    const pattern = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    writeBytes(BUF, pattern);
    x.boot('CopyMem', BUF + 4n, BUF, 16n);
    expect(readBytes(BUF, 24)).toEqual(Uint8Array.from([1, 2, 3, 4, ...pattern.subarray(0, 16), 21, 22, 23, 24]));
    writeBytes(BUF, pattern);
    x.boot('CopyMem', BUF, BUF + 4n, 16n);
    expect(readBytes(BUF, 20)).toEqual(Uint8Array.from([...pattern.subarray(4, 20), 17, 18, 19, 20]));
    x.boot('SetMem', BUF + 1n, 5n, 0x7abn); // UINT8 Value: the register's upper bits are not ours
    expect(readBytes(BUF, 8)).toEqual(Uint8Array.from([5, 0xab, 0xab, 0xab, 0xab, 0xab, 11, 12]));
    x.boot('SetMem', BUF, 0n, 0n);
    expect(read(BUF, 1)).toBe(5n);
  });

  it('CalculateCrc32 agrees with zlib and writes a UINT32', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    writeBytes(BUF, data);
    write(OUT, 8, 0xffff_ffff_ffff_ffffn);
    expect(x.boot('CalculateCrc32', BUF, BigInt(data.length), OUT)).toBe(SUCCESS);
    expect(read(OUT, 8)).toBe(0xffff_ffff_0000_0000n | BigInt(crc32(data)));
    expect(x.boot('CalculateCrc32', BUF, 0n, OUT)).toBe(INVALID);
  });

  it('LoadImage, StartImage, Exit and UnloadImage refuse what is not an image', () => {
    expect(x.boot('LoadImage', 0n, 0n, 0n, BUF, 0x100n, 0n)).toBe(INVALID);
    expect(x.boot('StartImage', 0x1234n, 0n, 0n)).toBe(INVALID);
    expect(x.boot('Exit', 0x1234n, 0n, 0n, 0n)).toBe(INVALID);
    expect(x.boot('UnloadImage', 0x1234n)).toBe(INVALID);
  });

  it.each(BOOT_STUBS)('boot service %s prints one line and returns EFI_UNSUPPORTED', (name, line) => {
    expect(x.boot(name, OUT, 1n, 2n, 3n, 4n)).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe(`gen-purgatory: ${line}\n`);
  });

  it.each(RUNTIME_STUBS)('runtime service %s prints one line and returns EFI_UNSUPPORTED', (name, line) => {
    expect(x.runtime(name, OUT, 1n, 2n, 3n)).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe(`gen-purgatory: ${line}\n`);
  });

  it('have no variables, store none, and say nothing about it', () => {
    write(OUT, 8, 0x40n);
    write(BUF, 8, 0x5555n);
    expect(x.runtime('GetVariable', BUF + 0x100n, BUF + 0x200n, 0n, OUT, BUF)).toBe(NOT_FOUND);
    expect([read(OUT, 8), read(BUF, 8)]).toEqual([0x40n, 0x5555n]);
    expect(x.runtime('GetNextVariableName', OUT, BUF, BUF + 0x200n)).toBe(NOT_FOUND);
    expect(x.runtime('SetVariable', BUF + 0x100n, BUF + 0x200n, 7n, 4n, BUF)).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe('');
  });

  it('SetVirtualAddressMap and ConvertPointer succeed and change nothing', () => {
    write(OUT, 8, 0x1234_5000n);
    expect(x.runtime('SetVirtualAddressMap', 0x60n, 48n, 1n, MAP)).toBe(SUCCESS);
    expect(x.runtime('ConvertPointer', 0n, OUT)).toBe(SUCCESS);
    expect(read(OUT, 8)).toBe(0x1234_5000n);
    expect(takeConsole()).toBe('');
  });

  it('ResetSystem says so and stops the machine', () => {
    expect(() => x.runtime('ResetSystem', 0n, 0n, 0n, 0n)).toThrow(MachineHalted);
    expect(takeConsole()).toBe('gen-purgatory: ResetSystem: stopping the machine\n');
  });
});

describe('ExitBootServices', () => {
  let x: Tables;
  beforeAll(async () => { x = Tables.make(await load()); });
  beforeEach(() => freshMachine(x.t));

  it('refuses a stale map key, then takes the current one and silences the runtime services', () => {
    const stale = x.mapKey();
    write(OUT, 8, 0n);
    expect(x.boot('AllocatePages', 0n, BS_DATA, 1n, OUT)).toBe(SUCCESS); // the map changed
    expect(x.boot('ExitBootServices', 0x1234n, stale)).toBe(INVALID);
    expect(x.boot('ExitBootServices', 0x1234n, x.t.mmKey() + 1n)).toBe(INVALID);
    expect(x.t.bootServicesExited()).toBe(false);
    expect(x.runtime('GetTime', OUT, 0n)).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe('gen-purgatory: GetTime: no clock, EFI_UNSUPPORTED\n');

    const key = x.mapKey();
    expect(key).toBe(x.t.mmKey());
    expect(key).not.toBe(stale);
    expect(x.boot('ExitBootServices', 0x1234n, key)).toBe(SUCCESS);
    expect(x.t.bootServicesExited()).toBe(true);
    expect(takeConsole()).toBe('');
  });

  it.each(RUNTIME_STUBS)('after it, runtime service %s stays silent', (name) => {
    expect(x.t.bootServicesExited()).toBe(true);
    expect(x.runtime(name, OUT, 1n, 2n, 3n)).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe('');
  });

  it('after it, the variable and address services answer as before, silently', () => {
    expect(x.runtime('GetVariable', BUF, BUF, 0n, OUT, BUF)).toBe(NOT_FOUND);
    expect(x.runtime('GetNextVariableName', OUT, BUF, BUF)).toBe(NOT_FOUND);
    expect(x.runtime('SetVariable', BUF, BUF, 7n, 4n, BUF)).toBe(UNSUPPORTED);
    expect(x.runtime('SetVirtualAddressMap', 0x60n, 48n, 1n, MAP)).toBe(SUCCESS);
    expect(x.runtime('ConvertPointer', 0n, OUT)).toBe(SUCCESS);
    expect(() => x.runtime('ResetSystem', 0n, 0n, 0n, 0n)).toThrow(MachineHalted);
    expect(takeConsole()).toBe('');
  });
});

const ST_SIZE = 0x78n;
const GUIDS = {
  rtProperties: 'eb66918a-7eef-402a-842e-931d21c38ae9', dtb: 'b1b621d5-f19c-41a5-830b-d9152c69aae0',
  acpi20: '8868e871-e4f1-11d3-bc22-0080c73c8881', smbios: 'eb9d2d31-2d88-11d3-9a16-0090273fc14d',
  smbios3: 'f2fd1544-9794-4a2c-992e-e5bbcf20e394',
};
const guidText = (p: bigint): string => {
  const b = Buffer.from(readBytes(p, 16));
  const hex = (x: Buffer): string => x.toString('hex');
  return [hex(Buffer.from(b.subarray(0, 4)).reverse()), hex(Buffer.from(b.subarray(4, 6)).reverse()),
    hex(Buffer.from(b.subarray(6, 8)).reverse()), hex(b.subarray(8, 10)), hex(b.subarray(10, 16))].join('-');
};

/** The configuration table the system table points at, as [GUID, table] pairs. */
function configEntries(st: bigint): [string, bigint][] {
  const n = Number(read(st + 0x68n, 8));
  const at = read(st + 0x70n, 8);
  return Array.from({ length: n }, (_, i): [string, bigint] => [guidText(at + BigInt(24 * i)), read(at + BigInt(24 * i) + 16n, 8)]);
}

function expectValidHeader(t: bigint, sig: string, size: bigint): void {
  const h = header(t);
  expect(h).toMatchObject({ sig, revision: REVISION, size, reserved: 0n });
  expect(h.crc).toBe(h.expected);
}

describe('the configuration tables', () => {
  let x: Tables;
  let st: bigint;
  beforeAll(async () => {
    x = Tables.make(await load());
    st = x.t.systemTable();
    x.t.tableHeader(st, 0x5453_5953_2049_4249n, ST_SIZE);
  });
  beforeEach(() => { freshMachine(x.t); x.t.configInit(); });

  it('start with the runtime-properties table, which advertises no runtime service', () => {
    const entries = configEntries(st);
    expect(entries.map(([g]) => g)).toEqual([GUIDS.rtProperties]);
    const props = entries[0][1];
    expect([read(props, 2), read(props + 2n, 2), read(props + 4n, 4)]).toEqual([1n, 8n, 0n]);
    expectValidHeader(st, 'IBI SYST', ST_SIZE);
  });

  it('add, replace and delete through the boot service, keeping the system table CRC right', () => {
    const [dtb, acpi] = [guid(GUIDS.dtb), guid(GUIDS.acpi20)];
    const array = read(st + 0x70n, 8);
    expect(x.boot('InstallConfigurationTable', dtb, 0x4000n)).toBe(SUCCESS);
    expect(x.boot('InstallConfigurationTable', acpi, 0x5000n)).toBe(SUCCESS);
    expectValidHeader(st, 'IBI SYST', ST_SIZE);
    expect(x.boot('InstallConfigurationTable', dtb, 0x6000n)).toBe(SUCCESS);
    expect(configEntries(st).slice(1)).toEqual([[GUIDS.dtb, 0x6000n], [GUIDS.acpi20, 0x5000n]]);
    expect(x.t.configTable(dtb)).toBe(0x6000n);
    expect(x.boot('InstallConfigurationTable', dtb, 0n)).toBe(SUCCESS);
    expect(configEntries(st).slice(1)).toEqual([[GUIDS.acpi20, 0x5000n]]);
    expect(x.t.configTable(dtb)).toBe(0n);
    expect(x.boot('InstallConfigurationTable', dtb, 0n)).toBe(NOT_FOUND);
    expect(x.boot('InstallConfigurationTable', 0n, 0x5000n)).toBe(INVALID);
    expect(read(st + 0x70n, 8)).toBe(array); // the array never moves
    expectValidHeader(st, 'IBI SYST', ST_SIZE);
  });

  it('hold 32 entries and refuse a 33rd', () => {
    for (let i = 1; i < 32; i++) {
      const g = guid(`00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}`);
      expect(x.boot('InstallConfigurationTable', g, BigInt(i))).toBe(SUCCESS);
    }
    expect(x.boot('InstallConfigurationTable', guid(GUIDS.dtb), 1n)).toBe(OUT_OF_RESOURCES);
    expect(configEntries(st)).toHaveLength(32);
    expectValidHeader(st, 'IBI SYST', ST_SIZE);
  });
});

// efiMain needs a whole machine: a handoff block, a console, RAM, and an image whose
// entry the host can call. On the host callptr only reaches functions registered with
// fnaddr, at FN_BASE + 16 * index, so one region of RAM sits at FN_BASE: the image lands
// there, and once a first run has told us its entry address, padding registrations make
// a host function's address that very entry.
const FN_BASE = 0x7f00_0000_0000n;
const H = 0x4800_0000n;
const BLOB = 0x4900_0000n;
const CON = 0x4a00_0000n;
const IMAGE = 0x4020_0000n;
const INITRD = 0x4400_0000n;
const DTB = 0x4500_0000n;
const RSDP = 0x4600_0000n;
const SMBIOS = 0x4601_0000n;
const CMDLINE = 'console=ttyAMA0 root=/dev/vda caf\u00e9';
/** The host's simulated CPU (templates/rt/intrinsics.ts), with 48 address bits to reach FN_BASE. */
const ARCH_48: bigint[] = [0xaa64n, 4n, 0x3n, 0x705n, 0x0060_0000_0000_0401n, 0x707n, 0x0060_0000_0000_0403n, 30n, 48n, 1n];
const kernel = craftPe({ sections: [{ name: '.text', size: 0x200, fill: 0xc3 }] }).data;

function machine(over: Partial<HandoffInput> = {}, pe: Uint8Array = kernel): void {
  const input: HandoffInput = {
    image: { addr: IMAGE, size: BigInt(pe.length) }, initrd: { addr: INITRD, size: 0x1000n },
    dtb: { addr: DTB, size: 0x1000n }, acpiRsdp: RSDP, smbios: SMBIOS,
    cmdline: CMDLINE, rngSeed: new Uint8Array(32).fill(7),
    regions: [
      { base: 0x4000_0000n, size: 0x1000_0000n, type: RegionType.Usable },
      { base: FN_BASE, size: 0x3_0000n, type: RegionType.Usable },
    ],
    regionMax: 8, digests: [], ...over,
  };
  writeBytes(H, buildHandoff(H, input));
  writeBytes(IMAGE, pe);
  writeBytes(SMBIOS, Buffer.from('_SM3_'));
  write(CON, 4, 1n); write(CON + 4n, 4, 0n); write(CON + 8n, 8, 0x0900_0000n);
  setArchParams(ARCH_48);
  takeConsole();
}

const ucs2At = (p: bigint, bytes: number): string => Buffer.from(readBytes(p, bytes)).toString('utf16le');

describe('efiMain', () => {
  let entry = 0n;
  afterEach(() => setArchParams());

  it('publishes the tables and protocols, loads the image and jumps to its entry', async () => {
    const t = await load();
    machine();
    expect(() => t.efiMain(H, BLOB, BLOB + 0x2_0000n, CON)).toThrow(/^callptr: 0x[0-9a-f]+ is not a function$/);
    const started = /^gen-purgatory: starting the image, handle 0x([0-9a-f]+)\n$/.exec(takeConsole());
    expect(started).not.toBeNull();
    const image = BigInt(`0x${started?.[1]}`);
    const li = t.imgLoadedImage(image);
    expect(read(li + 0x10n, 8)).toBe(t.systemTable());
    const base = read(li + 0x40n, 8);
    expect(base >= FN_BASE && base < FN_BASE + 0x3_0000n).toBe(true);
    entry = base + 0x1000n; // craftPe's entry: the first section
    expect(read(li + 0x30n, 4)).toBe(BigInt(2 * (CMDLINE.length + 1)));
    expect(ucs2At(read(li + 0x38n, 8), 2 * (CMDLINE.length + 1))).toBe(`${CMDLINE}\0`);

    const st = t.systemTable();
    expectValidHeader(st, 'IBI SYST', ST_SIZE);
    expect(ucs2At(read(st + 0x18n, 8), 28)).toBe('gen-purgatory\0');
    expect(read(st + 0x20n, 8)).toBe(0x10000n);
    expectValidHeader(read(st + 0x58n, 8), 'RUNTSERV', 0x88n);
    expectValidHeader(read(st + 0x60n, 8), 'BOOTSERV', 0x178n);
    const con = read(st + 0x28n, 8);
    expect([read(st + 0x38n, 8), read(st + 0x48n, 8), read(st + 0x50n, 8)]).toEqual([con, con, read(st + 0x40n, 8)]);
    expect(t.hdHandleProtocol(con, guid('387477c2-69c7-11d2-8e39-00a0c969723b'), OUT)).toBe(SUCCESS);
    expect(read(OUT, 8)).toBe(read(st + 0x40n, 8));
    expect(t.hdHandleProtocol(con, guid('387477c1-69c7-11d2-8e39-00a0c969723b'), OUT)).toBe(SUCCESS);
    expect(read(OUT, 8)).toBe(read(st + 0x30n, 8));
    expect(configEntries(st).slice(1)).toEqual([[GUIDS.dtb, DTB], [GUIDS.acpi20, RSDP], [GUIDS.smbios3, SMBIOS]]);
    expect(t.hdLocateProtocol(guid('3152bca5-eade-433d-862e-c01cdc291f44'), 0n, OUT)).toBe(SUCCESS);
    expect(t.hdLocateProtocol(guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d'), 0n, OUT)).toBe(SUCCESS);
  }, 30_000);

  it('reports an image that returns from its entry point, after it ended boot services', async () => {
    expect(entry).not.toBe(0n);
    const t = await load();
    machine();
    const seen: bigint[] = [];
    const kernelEntry = (handle: bigint, st: bigint): bigint => {
      const bs = read(st + 0x60n, 8);
      const rt = read(st + 0x58n, 8);
      const x = new Tables(t, bs, rt);
      seen.push(handle, st, x.boot('HandleProtocol', handle, guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b'), OUT + 0x40n));
      seen.push(x.boot('ExitBootServices', handle, x.mapKey()), x.runtime('GetTime', 0n, 0n));
      return ABORTED;
    };
    // Earlier loads registered functions of their own: pad the table up to the entry.
    let next = fnaddr(() => 0n);
    expect(next).toBeLessThan(entry);
    while (next < entry - 16n) next = fnaddr(() => 0n);
    expect(fnaddr(kernelEntry)).toBe(entry);
    expect(() => t.efiMain(H, BLOB, BLOB + 0x2_0000n, CON)).toThrow(MachineHalted);
    const lines = takeConsole().split('\n');
    expect(lines[0]).toMatch(/^gen-purgatory: starting the image, handle 0x[0-9a-f]+$/);
    expect(lines.slice(1)).toEqual(['gen-purgatory: error: the image returned from its entry point, status 0x8000000000000015', '']);
    expect(seen).toEqual([BigInt(`0x${lines[0].split('0x')[1]}`), t.systemTable(), SUCCESS, SUCCESS, UNSUPPORTED]);
    expect(t.bootServicesExited()).toBe(true);
  }, 30_000);

  it('stops with one line when the image cannot be loaded, the SMBIOS 2 table published', async () => {
    const t = await load();
    machine({ dtb: undefined, initrd: undefined, cmdline: '' }, craftPe({ machine: 0x8664 }).data);
    writeBytes(SMBIOS, Buffer.from('_SM_'));
    expect(() => t.efiMain(H, BLOB, BLOB + 0x2_0000n, CON)).toThrow(MachineHalted);
    const lines = takeConsole().split('\n');
    expect(lines.at(-2)).toBe('gen-purgatory: error: LoadImage of the kernel image failed, status 0x8000000000000003');
    expect(lines).toHaveLength(3); // the loader's own note, then the failure
    expect(configEntries(t.systemTable()).slice(1)).toEqual([[GUIDS.acpi20, RSDP], [GUIDS.smbios, SMBIOS]]);
  }, 30_000);
});
