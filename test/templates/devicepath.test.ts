// templates/devicepath.ts on the host: byte-packed device path nodes at any alignment.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { guid, guidBytes } from '../../templates/rt/intrinsics.ts';

type Fn = (...a: bigint[]) => bigint | boolean;
let dp: Record<string, Fn>;
beforeAll(async () => { dp = (await loadTemplate('templates/devicepath.ts')) as Record<string, Fn>; });

const NO_MATCH = 0xffff_ffff_ffff_ffffn;
const AT = 0x20_0001n; // odd on purpose: nodes are byte-packed
const ACPI = [0x02, 0x01, 0x0c, 0x00, 0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0];
const PCI = [0x01, 0x01, 0x06, 0x00, 0x00, 0x02];
const BIG = [0x04, 0x04, 0x04, 0x01, ...Array.from({ length: 0x100 }, (_, i) => i & 0xff)]; // length 0x104
const END = [0x7f, 0xff, 0x04, 0x00];
const END_INSTANCE = [0x7f, 0x01, 0x04, 0x00];

function put(at: bigint, ...nodes: number[][]): bigint {
  writeBytes(at, Uint8Array.from(nodes.flat()));
  return at;
}

describe('device path nodes', () => {
  it('reads type, subtype and a little-endian length at any address', () => {
    const p = put(AT, BIG, END);
    expect([dp.dpType(p), dp.dpSubtype(p), dp.dpLength(p)]).toEqual([4n, 4n, 0x104n]);
    expect(dp.dpIsEnd(p)).toBe(false);
    expect(dp.dpNext(p)).toBe(p + 0x104n);
    expect(dp.dpIsEnd(p + 0x104n)).toBe(true);
    expect(dp.dpIsEnd(put(AT + 0x300n, END_INSTANCE))).toBe(true);
  });

  it('sizes whole paths, End included, across instance ends', () => {
    expect(dp.dpSize(put(AT, ACPI, PCI, END))).toBe(22n);
    expect(dp.dpSize(put(AT, END))).toBe(4n);
    expect(dp.dpSize(put(AT, ACPI, END_INSTANCE, PCI, END))).toBe(26n);
    expect(dp.dpSize(put(AT, ACPI, [0x01, 0x01, 0x02, 0x00], END))).toBe(0n); // a node shorter than its header
  });

  it('measures how much of a path a prefix covers', () => {
    const path = put(AT, ACPI, PCI, BIG, END);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, ACPI, PCI, END))).toBe(18n);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, ACPI, PCI, BIG, END))).toBe(18n + 0x104n);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, END))).toBe(0n);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, ACPI, [0x01, 0x01, 0x06, 0x00, 0x00, 0x03], END))).toBe(NO_MATCH);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, PCI, END))).toBe(NO_MATCH);
    expect(dp.dpPrefixLength(path, put(AT + 0x400n, ACPI, PCI, BIG, PCI, END))).toBe(NO_MATCH); // longer than the path
    expect(dp.dpPrefixLength(put(AT, ACPI, END), put(AT + 0x400n, [0x02, 0x01, 0x0d, 0x00, ...ACPI.slice(4), 0], END))).toBe(NO_MATCH);
  });

  it('writes VenMedia(guid)/End exactly as Linux expects the initrd path', () => {
    const initrd = guid('5568e427-68fc-4f3d-ac74-ca555231cc68');
    dp.dpVendorMedia(AT, initrd);
    expect(Array.from(readBytes(AT, 24))).toEqual([
      0x04, 0x03, 0x14, 0x00, 0x27, 0xe4, 0x68, 0x55, 0xfc, 0x68, 0x3d, 0x4f, 0xac, 0x74,
      0xca, 0x55, 0x52, 0x31, 0xcc, 0x68, 0x7f, 0xff, 0x04, 0x00,
    ]);
    expect(dp.dpSize(AT)).toBe(24n);
    expect(Array.from(readBytes(dp.DEVICE_PATH_GUID as unknown as bigint, 16))).toEqual(guidBytes('09576e91-6d3f-11d2-8e39-00a0c969723b'));
  });
});
