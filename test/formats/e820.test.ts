// e820 text maps in both accepted forms, and the errors a user sees for bad ones.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenError } from '../../generator/errors.ts';
import { parseE820, readE820 } from '../../generator/formats/e820.ts';
import { RegionType, type MemRegion } from '../../generator/loader/memory.ts';
import { tempDir } from '../support/tmp.ts';

// As printed by the Debian 6.1 kernel booted on QEMU q35 with -m 1G (SeaBIOS), with
// unrelated lines around it as in a real dmesg dump.
const Q35_DMESG = `[    0.000000] Linux version 6.1.0-56-cloud-amd64
[    0.000000] BIOS-provided physical RAM map:
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved
[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000003ffdefff] usable
[    0.000000] BIOS-e820: [mem 0x000000003ffdf000-0x000000003fffffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000b0000000-0x00000000bfffffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000fed1c000-0x00000000fed1ffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved
[    0.000000] BIOS-e820: [mem 0x000000fd00000000-0x000000ffffffffff] reserved
[    0.000000] NX (Execute Disable) protection: active
[    0.880086] PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820
`;

const r = (base: bigint, last: bigint, type: RegionType): MemRegion => ({ base, size: last - base + 1n, type });

describe('parseE820', () => {
  it('reads a dmesg dump, skipping the other log lines', () => {
    const map = parseE820(Q35_DMESG, 'dmesg.txt');
    expect(map).toHaveLength(9);
    expect(map[0]).toEqual(r(0n, 0x9fbffn, RegionType.Usable));
    expect(map[3]).toEqual(r(0x100000n, 0x3ffdefffn, RegionType.Usable));
    expect(map[8]).toEqual(r(0xfd_0000_0000n, 0xff_ffff_ffffn, RegionType.Reserved));
  });

  it('maps every type name Linux prints', () => {
    const lines = [
      'usable', 'reserved', 'ACPI data', 'ACPI NVS', 'unusable', 'persistent (type 7)',
      'persistent (type 12)', 'soft reserved', 'type 20',
    ].map((t, i) => `kernel: BIOS-e820: [mem 0x${(i + 1).toString(16)}000-0x${(i + 1).toString(16)}fff] ${t}`);
    expect(parseE820(lines.join('\n'), 'x').map((m) => m.type)).toEqual([1, 2, 3, 4, 5, 7, 7, 2, 2]);
  });

  it('reads /sys/firmware/memmap-style lines with text or numeric types, sorted', () => {
    const text = [
      '# start end type',
      '0x100000 0x3ffdefff System RAM',
      '0x0 0x9fbff System RAM',
      '0x9fc00 0x9ffff Reserved',
      '0x3ffdf000 0x3ffeffff ACPI Tables',
      '0x3fff0000 0x3fff7fff ACPI Non-volatile Storage',
      '0x3fff8000 0x3fffbfff Unusable memory',
      '0x100000000 0x1ffffffff Persistent Memory',
      '0x200000000 0x2ffffffff\tPersistent Memory (legacy)',
      '0x300000000 0x300000fff 4',
      '0x300001000 0x300001fff Soft Reserved',
      '',
    ].join('\n');
    const map = parseE820(text, 'memmap');
    expect(map.map((m) => m.base)).toEqual([0n, 0x9fc00n, 0x100000n, 0x3ffdf000n, 0x3fff0000n, 0x3fff8000n,
      0x1_0000_0000n, 0x2_0000_0000n, 0x3_0000_0000n, 0x3_0000_1000n]);
    expect(map.map((m) => m.type)).toEqual([1, 2, 1, 3, 4, 5, 7, 7, 4, 2]);
    expect(map[0].size).toBe(0xa0000n - 0x400n);
  });

  it('handles an end at the top of the 64-bit space', () => {
    expect(parseE820('0xfffffffffffff000 0xffffffffffffffff Reserved', 'm')[0].size).toBe(0x1000n);
  });

  it.each([
    ['garbage line', '0x0 0xfff System RAM\nhello', /^m:2: not an e820 entry/],
    ['unknown type name', '0x0 0xfff Magic RAM', /^m:1: unknown e820 type "Magic RAM"/],
    ['end below start', '0x2000 0x1fff System RAM', /^m:1: end 0x1fff is below start/],
    ['end beyond 64 bits', '0x0 0x10000000000000000 Reserved', /^m:1: end .* beyond 64 bits/],
    ['mangled BIOS-e820 line', 'BIOS-e820: [mem 0x0-] usable', /^m:1: cannot read this BIOS-e820 line/],
    ['empty file', '\n# nothing\n', /^m: no e820 entries/],
    ['overlap', '0x0 0xfff System RAM\n0x2000 0x2fff Reserved\n0x800 0x17ff Reserved',
      /^m:3: \[0x800-0x17ff\] reserved overlaps \[0x0-0xfff\] usable from line 1$/],
  ])('rejects %s with FILE:LINE', (_what, text, message) => {
    expect(() => parseE820(text, 'm')).toThrow(GenError);
    expect(() => parseE820(text, 'm')).toThrow(message);
  });

  it('reads from a file and names it in errors', () => {
    const dir = tempDir('e820-');
    writeFileSync(join(dir, 'map'), Q35_DMESG);
    expect(readE820(join(dir, 'map'))).toHaveLength(9);
    expect(() => readE820(join(dir, 'missing'))).toThrow(/missing: cannot read/);
  });
});
