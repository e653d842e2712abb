// templates/handles.ts on the host: the protocol database the boot services will use.
// Loaded through a harness that shares its memory map, for the services that return
// pool arrays.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write } from '../../templates/rt/memory.ts';
import { guid, guidBytes } from '../../templates/rt/intrinsics.ts';
import { SUCCESS, INVALID, UNSUPPORTED, TOO_SMALL, NOT_FOUND, ALREADY_STARTED } from '../support/efi.ts';

type Fn = (...a: bigint[]) => bigint | boolean;
let hd: Record<string, Fn>;
beforeAll(async () => { hd = (await loadTemplate('test/templates/harness/protocols.ts')) as Record<string, Fn>; });

const LOADED_IMAGE = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');
const LOAD_FILE2 = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');
const DEVICE_PATH = guid('09576e91-6d3f-11d2-8e39-00a0c969723b');
const OUT = 0x20_0000n;

function install(handle: bigint, g: bigint, iface: bigint): [bigint, bigint] {
  write(OUT, 8, handle);
  const s = hd.hdInstall(OUT, g, iface) as bigint;
  return [s, read(OUT, 8)];
}

function handleProtocol(h: bigint, g: bigint): [bigint, bigint] {
  const s = hd.hdHandleProtocol(h, g, OUT + 8n) as bigint;
  return [s, read(OUT + 8n, 8)];
}

function locateHandle(type: bigint, g: bigint): [bigint, bigint[]] {
  write(OUT + 0x10n, 8, 0x100n);
  const s = hd.hdLocateHandle(type, g, 0n, OUT + 0x10n, OUT + 0x100n) as bigint;
  const n = Number(read(OUT + 0x10n, 8) / 8n);
  return [s, s === SUCCESS ? Array.from({ length: n }, (_, i) => read(OUT + 0x100n + BigInt(8 * i), 8)) : []];
}

beforeEach(() => {
  hd.hdReset();
  hd.mmReset();
  hd.mmAdd(0x8000_0000n, 0x100n, 7n, 8n); // 1 MiB of conventional memory for pool arrays
});

describe('protocol database', () => {
  it('creates handles, adds protocols to them, and finds them again', () => {
    const [s1, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(s1).toBe(SUCCESS);
    expect(hd.isHandle(a)).toBe(true);
    expect(install(a, DEVICE_PATH, 0x2000n)).toEqual([SUCCESS, a]);
    const [, b] = install(0n, LOAD_FILE2, 0x3000n);
    expect(b).not.toBe(a);
    expect(handleProtocol(a, DEVICE_PATH)).toEqual([SUCCESS, 0x2000n]);
    expect(handleProtocol(b, LOADED_IMAGE)).toEqual([UNSUPPORTED, 0n]);
    expect(hd.hdLocateProtocol(LOAD_FILE2, 0n, OUT + 8n)).toBe(SUCCESS);
    expect(read(OUT + 8n, 8)).toBe(0x3000n);
    expect(locateHandle(2n, DEVICE_PATH)).toEqual([SUCCESS, [a]]);
    expect(locateHandle(0n, 0n)).toEqual([SUCCESS, [a, b]]);
  });

  it('refuses a second copy of a protocol and bad handles', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(install(a, LOADED_IMAGE, 0x1100n)[0]).toBe(INVALID);
    expect(install(a + 8n, DEVICE_PATH, 0x1100n)[0]).toBe(INVALID);
    expect(install(0x1234n, DEVICE_PATH, 0x1100n)[0]).toBe(INVALID);
    expect(hd.hdHandleProtocol(0x1234n, LOADED_IMAGE, OUT)).toBe(INVALID);
    expect(hd.hdInstall(0n, LOADED_IMAGE, 0n)).toBe(INVALID);
  });

  it('uninstalls only the matching interface, and drops a handle left empty', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    install(a, DEVICE_PATH, 0x2000n);
    expect(hd.hdUninstall(a, LOADED_IMAGE, 0x9999n)).toBe(NOT_FOUND);
    expect(hd.hdUninstall(a, LOADED_IMAGE, 0x1000n)).toBe(SUCCESS);
    expect(handleProtocol(a, DEVICE_PATH)).toEqual([SUCCESS, 0x2000n]);
    expect(hd.hdUninstall(a, DEVICE_PATH, 0x2000n)).toBe(SUCCESS);
    expect(hd.isHandle(a)).toBe(false);
    expect(locateHandle(0n, 0n)[0]).toBe(NOT_FOUND);
  });

  it('answers LocateProtocol with NULL and EFI_NOT_FOUND when nothing has it', () => {
    write(OUT + 8n, 8, 0xdeadn);
    expect(hd.hdLocateProtocol(LOAD_FILE2, 0n, OUT + 8n)).toBe(NOT_FOUND);
    expect(read(OUT + 8n, 8)).toBe(0n);
  });

  it('sizes LocateHandle buffers and rejects notify searches', () => {
    install(0n, LOADED_IMAGE, 0x1000n);
    install(0n, LOADED_IMAGE, 0x1001n);
    write(OUT + 0x10n, 8, 8n);
    expect(hd.hdLocateHandle(2n, LOADED_IMAGE, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(TOO_SMALL);
    expect(read(OUT + 0x10n, 8)).toBe(16n);
    expect(hd.hdLocateHandle(1n, LOADED_IMAGE, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(INVALID);
    expect(hd.hdLocateHandle(2n, 0n, 0n, OUT + 0x10n, OUT + 0x100n)).toBe(INVALID);
  });
});

// Seven protocols for the variadic services, and garbage for what follows the NULL.
const GUIDS = [
  '00000001-0000-0000-0000-000000000000', '00000002-0000-0000-0000-000000000000',
  '00000003-0000-0000-0000-000000000000', '00000004-0000-0000-0000-000000000000',
  '00000005-0000-0000-0000-000000000000', '00000006-0000-0000-0000-000000000000',
  '00000007-0000-0000-0000-000000000000', '00000008-0000-0000-0000-000000000000',
].map((g) => guid(g));
const GARBAGE = 0xdead_beef_0000_0000n;

/** pairs, then the NULL GUID, then garbage: the 15 varargs a caller's frame would hold. */
function varargs(pairs: [bigint, bigint][], terminate = true): bigint[] {
  const a = pairs.flat();
  if (terminate) a.push(0n);
  while (a.length < 15) a.push(GARBAGE + BigInt(a.length));
  return a;
}

function installMultiple(handle: bigint, pairs: [bigint, bigint][], terminate = true): [bigint, bigint] {
  write(OUT, 8, handle);
  const s = hd.hdInstallMultiple(OUT, ...varargs(pairs, terminate)) as bigint;
  return [s, read(OUT, 8)];
}

function count(h: bigint): bigint {
  expect(hd.hdProtocolsPerHandle(h, OUT + 0x20n, OUT + 0x28n)).toBe(SUCCESS);
  return read(OUT + 0x28n, 8);
}

/** Writes device path nodes (each [type, subtype, data bytes]) and End at `at`. */
function devicePath(at: bigint, nodes: [number, number, number[]][]): bigint {
  let p = at;
  for (const [type, sub, data] of [...nodes, [0x7f, 0xff, []] as [number, number, number[]]]) {
    const len = 4 + data.length;
    [type, sub, len & 0xff, len >> 8, ...data].forEach((b, i) => write(p + BigInt(i), 1, BigInt(b)));
    p += BigInt(len);
  }
  return at;
}

const PCI_ROOT: [number, number, number[]] = [0x02, 0x01, [0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0]];
const PCI_1: [number, number, number[]] = [0x01, 0x01, [0x00, 0x01]];
const PCI_2: [number, number, number[]] = [0x01, 0x01, [0x00, 0x02]];
const HD: [number, number, number[]] = [0x04, 0x01, Array.from({ length: 38 }, (_, i) => i)];

describe('protocol services added for the boot services table', () => {
  it('reinstalls an interface only over the one installed', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(hd.hdReinstall(a, LOADED_IMAGE, 0x1111n, 0x2000n)).toBe(NOT_FOUND);
    expect(hd.hdReinstall(a, LOAD_FILE2, 0x1000n, 0x2000n)).toBe(NOT_FOUND);
    expect(hd.hdReinstall(a, LOADED_IMAGE, 0x1000n, 0x2000n)).toBe(SUCCESS);
    expect(handleProtocol(a, LOADED_IMAGE)).toEqual([SUCCESS, 0x2000n]);
    expect(hd.hdReinstall(a + 8n, LOADED_IMAGE, 0x2000n, 0x3000n)).toBe(INVALID);
  });

  it('opens protocols by attribute, clearing the interface unless testing', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    const [, agent] = install(0n, LOAD_FILE2, 0x3000n);
    const open = (h: bigint, g: bigint, attr: bigint, ag = 0n, ctl = 0n): [bigint, bigint] => {
      write(OUT + 8n, 8, 0x5555n);
      return [hd.hdOpenProtocol(h, g, OUT + 8n, ag, ctl, attr) as bigint, read(OUT + 8n, 8)];
    };
    expect(open(a, LOADED_IMAGE, 2n)).toEqual([SUCCESS, 0x1000n]);
    expect(open(a, LOADED_IMAGE, 1n)).toEqual([SUCCESS, 0x1000n]);
    expect(open(a, LOADED_IMAGE, 0xffff_ffff_0000_0002n)).toEqual([SUCCESS, 0x1000n]); // a UINT32
    expect(open(a, DEVICE_PATH, 2n)).toEqual([UNSUPPORTED, 0n]);
    expect(open(a, LOADED_IMAGE, 4n)).toEqual([SUCCESS, 0x5555n]); // TEST_PROTOCOL writes nothing
    expect(open(a, DEVICE_PATH, 4n)).toEqual([UNSUPPORTED, 0x5555n]);
    expect(hd.hdOpenProtocol(a, LOADED_IMAGE, 0n, 0n, 0n, 4n)).toBe(SUCCESS);
    expect(hd.hdOpenProtocol(a, LOADED_IMAGE, 0n, 0n, 0n, 2n)).toBe(INVALID);
    for (const bad of [0n, 3n, 0x40n, 0x12n]) expect(open(a, LOADED_IMAGE, bad)[0]).toBe(INVALID);
    expect(open(0x1234n, LOADED_IMAGE, 2n)).toEqual([INVALID, 0n]);
    expect(open(a, LOADED_IMAGE, 0x10n)[0]).toBe(INVALID); // BY_DRIVER needs agent and controller
    expect(open(a, LOADED_IMAGE, 0x10n, agent, a)).toEqual([SUCCESS, 0x1000n]);
    expect(open(a, LOADED_IMAGE, 0x30n, agent, a)).toEqual([SUCCESS, 0x1000n]);
    expect(open(a, LOADED_IMAGE, 0x20n, agent)).toEqual([SUCCESS, 0x1000n]);
    expect(open(a, LOADED_IMAGE, 0x08n, agent, a)[0]).toBe(INVALID); // child of itself
    expect(open(a, LOADED_IMAGE, 0x08n, agent, agent)).toEqual([SUCCESS, 0x1000n]);
  });

  it('closes what the handle has, and reports no opens', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(hd.hdCloseProtocol(a, LOADED_IMAGE, a, 0n)).toBe(SUCCESS);
    expect(hd.hdCloseProtocol(a, DEVICE_PATH, a, 0n)).toBe(NOT_FOUND);
    expect(hd.hdCloseProtocol(0x1234n, LOADED_IMAGE, a, 0n)).toBe(INVALID);
    write(OUT + 0x28n, 8, 99n);
    expect(hd.hdOpenProtocolInformation(a, LOADED_IMAGE, OUT + 0x20n, OUT + 0x28n)).toBe(SUCCESS);
    expect(read(OUT + 0x28n, 8)).toBe(0n);
    expect(hd.poolFree(read(OUT + 0x20n, 8))).toBe(SUCCESS);
    expect(hd.hdOpenProtocolInformation(a, DEVICE_PATH, OUT + 0x20n, OUT + 0x28n)).toBe(NOT_FOUND);
  });

  it('lists a handle\'s protocols as GUID pointers that outlive an uninstall', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    install(a, DEVICE_PATH, 0x2000n);
    expect(hd.hdProtocolsPerHandle(a, OUT + 0x20n, OUT + 0x28n)).toBe(SUCCESS);
    const [list, n] = [read(OUT + 0x20n, 8), read(OUT + 0x28n, 8)];
    expect(n).toBe(2n);
    hd.hdUninstall(a, LOADED_IMAGE, 0x1000n);
    const bytes = (g: bigint): number[] => Array.from({ length: 16 }, (_, i) => Number(read(g + BigInt(i), 1)));
    expect(bytes(read(list, 8))).toEqual(guidBytes('5b1b31a1-9562-11d2-8e3f-00a0c969723b'));
    expect(bytes(read(list + 8n, 8))).toEqual(guidBytes('09576e91-6d3f-11d2-8e39-00a0c969723b'));
    expect(hd.poolFree(list)).toBe(SUCCESS);
    expect(hd.hdProtocolsPerHandle(0x1234n, OUT + 0x20n, OUT + 0x28n)).toBe(INVALID);
  });

  it('locates handles into a pool buffer', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    const [, b] = install(0n, LOADED_IMAGE, 0x1001n);
    const [, c] = install(0n, LOAD_FILE2, 0x1002n);
    const buffer = (type: bigint, g: bigint): [bigint, bigint[]] => {
      const s = hd.hdLocateHandleBuffer(type, g, 0n, OUT + 0x28n, OUT + 0x20n) as bigint;
      const [n, list] = [read(OUT + 0x28n, 8), read(OUT + 0x20n, 8)];
      const hs = Array.from({ length: Number(n) }, (_, i) => read(list + BigInt(8 * i), 8));
      if (s === SUCCESS) expect(hd.poolFree(list)).toBe(SUCCESS);
      return [s, hs];
    };
    expect(buffer(2n, LOADED_IMAGE)).toEqual([SUCCESS, [a, b]]);
    expect(buffer(0n, 0n)).toEqual([SUCCESS, [a, b, c]]);
    expect(buffer(2n, DEVICE_PATH)).toEqual([NOT_FOUND, []]);
    expect(read(OUT + 0x20n, 8)).toBe(0n);
    expect(buffer(1n, LOADED_IMAGE)[0]).toBe(INVALID);
    expect(hd.hdLocateHandleBuffer(2n, LOADED_IMAGE, 0n, 0n, OUT + 0x20n)).toBe(INVALID);
  });
});

describe('InstallMultipleProtocolInterfaces and UninstallMultipleProtocolInterfaces', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('installs and uninstalls %i pair(s) as varargs', (n) => {
    const pairs = GUIDS.slice(0, n).map((g, i): [bigint, bigint] => [g, 0x1000n * BigInt(i + 1)]);
    const [s, h] = installMultiple(0n, pairs);
    expect(s).toBe(SUCCESS);
    expect(hd.isHandle(h)).toBe(true);
    expect(count(h)).toBe(BigInt(n));
    for (const [g, iface] of pairs) expect(handleProtocol(h, g)).toEqual([SUCCESS, iface]);
    expect(hd.hdUninstallMultiple(h, ...varargs(pairs))).toBe(SUCCESS);
    expect(hd.isHandle(h)).toBe(false);
  });

  it('adds to an existing handle, and accepts an empty list', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    expect(installMultiple(a, [[GUIDS[0], 0x10n], [GUIDS[1], 0x20n]])).toEqual([SUCCESS, a]);
    expect(count(a)).toBe(3n);
    expect(installMultiple(0n, [])).toEqual([SUCCESS, 0n]);
    expect(locateHandle(0n, 0n)).toEqual([SUCCESS, [a]]);
    expect(hd.hdUninstallMultiple(a, ...varargs([[GUIDS[1], 0x20n]]))).toBe(SUCCESS);
    expect(count(a)).toBe(2n);
  });

  it('refuses an eighth pair and bad handles', () => {
    const pairs = GUIDS.slice(0, 7).map((g, i): [bigint, bigint] => [g, BigInt(i + 1)]);
    expect(installMultiple(0n, pairs, false)).toEqual([INVALID, 0n]); // a15 is no NULL
    expect(locateHandle(0n, 0n)[0]).toBe(NOT_FOUND);
    expect(hd.hdInstallMultiple(0n, ...varargs([[GUIDS[0], 1n]]))).toBe(INVALID);
    expect(installMultiple(0x1234n, [[GUIDS[0], 1n]])[0]).toBe(INVALID);
    const [, h] = installMultiple(0n, pairs);
    expect(hd.hdUninstallMultiple(h, ...varargs(pairs, false))).toBe(INVALID);
    expect(count(h)).toBe(7n);
    expect(hd.hdUninstallMultiple(0x1234n, ...varargs([[GUIDS[0], 1n]]))).toBe(INVALID);
  });

  it('undoes every install when one fails, on a new handle and on an old one', () => {
    const [, a] = install(0n, LOADED_IMAGE, 0x1000n);
    const failing: [bigint, bigint][] = [[GUIDS[0], 1n], [GUIDS[1], 2n], [LOADED_IMAGE, 3n], [GUIDS[2], 4n]];
    expect(installMultiple(a, failing)).toEqual([INVALID, a]);
    expect(count(a)).toBe(1n);
    expect(handleProtocol(a, GUIDS[0])[0]).toBe(UNSUPPORTED);
    const twice: [bigint, bigint][] = [[GUIDS[0], 1n], [GUIDS[1], 2n], [GUIDS[0], 3n]];
    expect(installMultiple(0n, twice)).toEqual([INVALID, 0n]);
    expect(locateHandle(0n, 0n)).toEqual([SUCCESS, [a]]);
    expect(installMultiple(0n, [[GUIDS[0], 1n]])[0]).toBe(SUCCESS); // the freed record is reusable
  });

  it('puts back what it removed when an uninstall fails, even an emptied handle', () => {
    const pairs: [bigint, bigint][] = [[GUIDS[0], 1n], [GUIDS[1], 2n], [GUIDS[2], 3n]];
    const [, h] = installMultiple(0n, pairs);
    expect(hd.hdUninstallMultiple(h, ...varargs([[GUIDS[0], 1n], [GUIDS[1], 2n], [GUIDS[2], 99n]]))).toBe(INVALID);
    expect(count(h)).toBe(3n);
    expect(hd.hdUninstallMultiple(h, ...varargs([...pairs, [GUIDS[3], 4n]]))).toBe(INVALID);
    expect(hd.isHandle(h)).toBe(true);
    for (const [g, iface] of pairs) expect(handleProtocol(h, g)).toEqual([SUCCESS, iface]);
  });

  it('answers EFI_ALREADY_STARTED for a device path another handle has', () => {
    const dp = devicePath(OUT + 0x401n, [PCI_ROOT, PCI_1]);
    const same = devicePath(OUT + 0x503n, [PCI_ROOT, PCI_1]);
    const longer = devicePath(OUT + 0x605n, [PCI_ROOT, PCI_1, HD]);
    const [s, a] = installMultiple(0n, [[DEVICE_PATH, dp], [LOAD_FILE2, 0x10n]]);
    expect(s).toBe(SUCCESS);
    expect(installMultiple(0n, [[LOAD_FILE2, 0x20n], [DEVICE_PATH, same]])).toEqual([ALREADY_STARTED, 0n]);
    expect(locateHandle(0n, 0n)).toEqual([SUCCESS, [a]]);
    expect(installMultiple(0n, [[DEVICE_PATH, longer], [LOAD_FILE2, 0x20n]])[0]).toBe(SUCCESS);
    const root = devicePath(OUT + 0x707n, [PCI_ROOT]);
    expect(installMultiple(0n, [[DEVICE_PATH, root]])[0]).toBe(SUCCESS);
  });
});

describe('LocateDevicePath', () => {
  function locate(protocol: bigint, path: bigint): [bigint, bigint, bigint] {
    write(OUT + 0x30n, 8, path);
    write(OUT + 0x38n, 8, 0n);
    const s = hd.hdLocateDevicePath(protocol, OUT + 0x30n, OUT + 0x38n) as bigint;
    return [s, read(OUT + 0x38n, 8), read(OUT + 0x30n, 8)];
  }

  it('chooses the longest matching prefix and advances past it', () => {
    const short = devicePath(OUT + 0x401n, [PCI_ROOT]);
    const long = devicePath(OUT + 0x503n, [PCI_ROOT, PCI_1]);
    const [, a] = installMultiple(0n, [[DEVICE_PATH, short], [LOAD_FILE2, 0x10n]]);
    const [, b] = installMultiple(0n, [[LOAD_FILE2, 0x20n], [DEVICE_PATH, long]]);
    const [, c] = installMultiple(0n, [[DEVICE_PATH, devicePath(OUT + 0x607n, [PCI_ROOT, PCI_1, HD])]]);
    const query = devicePath(OUT + 0x705n, [PCI_ROOT, PCI_1, HD]);
    expect(locate(LOAD_FILE2, query)).toEqual([SUCCESS, b, query + 12n + 6n]); // c lacks LoadFile2
    expect(locate(DEVICE_PATH, query)).toEqual([SUCCESS, c, query + 12n + 6n + 42n]); // the End node
    const other = devicePath(OUT + 0x801n, [PCI_ROOT, PCI_2]);
    expect(locate(LOAD_FILE2, other)).toEqual([SUCCESS, a, other + 12n]);
    expect(locate(LOADED_IMAGE, other)).toEqual([NOT_FOUND, 0n, other]);
    const unrelated = devicePath(OUT + 0x901n, [PCI_2]);
    expect(locate(LOAD_FILE2, unrelated)).toEqual([NOT_FOUND, 0n, unrelated]);
  });

  it('does not match a handle path longer than the query', () => {
    installMultiple(0n, [[DEVICE_PATH, devicePath(OUT + 0x401n, [PCI_ROOT, PCI_1])], [LOAD_FILE2, 0x10n]]);
    const query = devicePath(OUT + 0x503n, [PCI_ROOT]);
    expect(locate(LOAD_FILE2, query)[0]).toBe(NOT_FOUND);
  });

  it('rejects NULL pointers', () => {
    const path = devicePath(OUT + 0x401n, [PCI_ROOT]);
    write(OUT + 0x30n, 8, path);
    expect(hd.hdLocateDevicePath(0n, OUT + 0x30n, OUT + 0x38n)).toBe(INVALID);
    expect(hd.hdLocateDevicePath(LOAD_FILE2, 0n, OUT + 0x38n)).toBe(INVALID);
    expect(hd.hdLocateDevicePath(LOAD_FILE2, OUT + 0x30n, 0n)).toBe(INVALID);
    expect(locate(LOAD_FILE2, 0n)[0]).toBe(INVALID);
  });
});
