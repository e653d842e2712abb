// ACPI SPCR tables: crafted tables for every interface type and address space we
// drive, every error a malformed table can raise, and `plan --spcr` on the command line.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../generator/errors.ts';
import { consoleFromSpcr } from '../../generator/loader/spcr.ts';
import { pickConsole, type ConsoleDesc } from '../../generator/loader/console.ts';
import { cli, isOneLineError } from '../support/cli.ts';
import { debianKernel } from '../support/debian.ts';
import { buildDtb } from '../support/fdt-builder.ts';
import { tempDir } from '../support/tmp.ts';

interface SpcrFields {
  revision?: number;
  type?: number;
  space?: number;
  bitWidth?: number;
  bitOffset?: number;
  access?: number;
  address?: bigint;
  baud?: number;
  /** Revision 4 precise baud rate (the table grows to 88 bytes). */
  preciseBaud?: number;
}

/** An SPCR table with a valid checksum, QEMU virt's PL011 unless told otherwise. */
function spcr(f: SpcrFields = {}): Uint8Array {
  const length = f.preciseBaud !== undefined ? 88 : 80;
  const t = new Uint8Array(length);
  const v = new DataView(t.buffer);
  t.set(new TextEncoder().encode('SPCR'), 0);
  v.setUint32(4, length, true);
  t[8] = f.revision ?? 2;
  t.set(new TextEncoder().encode('BOCHS BXPC    '), 10);
  t[36] = f.type ?? 0x03;
  t[40] = f.space ?? 0;
  t[41] = f.bitWidth ?? 32;
  t[42] = f.bitOffset ?? 0;
  t[43] = f.access ?? 3;
  v.setBigUint64(44, f.address ?? 0x900_0000n, true);
  t[58] = f.baud ?? 3;
  if (f.preciseBaud !== undefined) v.setUint32(84, f.preciseBaud, true);
  return fixChecksum(t);
}

function fixChecksum(t: Uint8Array): Uint8Array {
  t[9] = 0;
  const sum = t.reduce((s, b) => (s + b) & 0xff, 0);
  t[9] = (0x100 - sum) & 0xff;
  return t;
}

const PL011 = { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 };

describe('consoleFromSpcr', () => {
  it('reads QEMU virt\'s table: PL011 at 0x9000000, 9600 baud', () => {
    expect(consoleFromSpcr(spcr(), 'SPCR')).toEqual({ ...PL011, baud: 9600 });
  });

  it.each([
    ['0x00 16550 compatible, port I/O', { type: 0x00, space: 1, bitWidth: 8, access: 1, address: 0x3f8n, baud: 7 },
      { kind: '16550', space: 'io', base: 0x3f8n, regShift: 0, regWidth: 1, baud: 115200 }],
    ['0x01 16550 subset, port I/O, access width 0', { type: 0x01, space: 1, bitWidth: 8, access: 0, address: 0x2f8n, baud: 6 },
      { kind: '16550', space: 'io', base: 0x2f8n, regShift: 0, regWidth: 1, baud: 57600 }],
    ['0x12 16550 with GAS, MMIO dword', { type: 0x12, address: 0xfe21_5040n, baud: 4 },
      { kind: '16550', space: 'mmio', base: 0xfe21_5040n, regShift: 2, regWidth: 4, baud: 19200 }],
    ['0x00 16550 MMIO word', { type: 0x00, bitWidth: 16, access: 2, address: 0x1000_0000n, baud: 0 },
      { kind: '16550', space: 'mmio', base: 0x1000_0000n, regShift: 1, regWidth: 2 }],
    ['0x00 16550 MMIO byte', { type: 0x00, bitWidth: 8, access: 1, address: 0x1000_0001n },
      { kind: '16550', space: 'mmio', base: 0x1000_0001n, regShift: 0, regWidth: 1, baud: 9600 }],
    ['0x00 16550 MMIO, access width 0 defaults to bytes', { type: 0x00, bitWidth: 8, access: 0, address: 0x1000_0000n },
      { kind: '16550', space: 'mmio', base: 0x1000_0000n, regShift: 0, regWidth: 1, baud: 9600 }],
    ['0x03 PL011', { type: 0x03, baud: 7 }, { ...PL011, baud: 115200 }],
    ['0x0D SBSA 32-bit, byte access in the GAS still gives word access', { type: 0x0d, access: 1, bitWidth: 8 }, { ...PL011, baud: 9600 }],
    ['0x0E SBSA generic, access width 0', { type: 0x0e, access: 0, address: 0x2_0000_0000n, baud: 0 },
      { ...PL011, base: 0x2_0000_0000n }],
    ['0x10 BCM2835', { type: 0x10, address: 0xfe20_1000n, baud: 7 }, { ...PL011, base: 0xfe20_1000n, baud: 115200 }],
    ['revision 4 precise baud rate overrides the code', { revision: 4, preciseBaud: 1_500_000, baud: 7 }, { ...PL011, baud: 1_500_000 }],
    ['revision 4 precise baud rate 0 keeps the code', { revision: 4, preciseBaud: 0, baud: 7 }, { ...PL011, baud: 115200 }],
    ['revision 3 ignores bytes beyond 80', { revision: 3, preciseBaud: 1_500_000, baud: 7 }, { ...PL011, baud: 115200 }],
    ['address 0: the firmware disabled console redirection', { address: 0n }, { kind: 'none' }],
  ])('%s', (_name, fields, want) => {
    expect(consoleFromSpcr(spcr(fields), 't.bin')).toEqual(want);
  });

  const truncated = spcr().subarray(0, 60);
  const padded = new Uint8Array(96);
  padded.set(spcr());
  const badSignature = fixChecksum(Uint8Array.from(spcr(), (b, i) => (i === 0 ? 0x44 : b)));
  const short = spcr();
  new DataView(short.buffer).setUint32(4, 60, true);
  fixChecksum(short);
  const badSum = spcr();
  badSum[9] ^= 1;

  it.each([
    ['an empty file', new Uint8Array(0), 0x0, 'SPCR signature', /needs 4 bytes/],
    ['another table', badSignature, 0x0, 'SPCR signature', /"DPCR" is not "SPCR"/],
    ['a length below 80', fixChecksum(short), 0x4, 'SPCR length', /0x3c is shorter than the 80-byte/],
    ['a truncated file', truncated, 0x4, 'SPCR length', /header says 0x50 bytes, the file has 0x3c/],
    ['trailing bytes', padded, 0x4, 'SPCR length', /header says 0x50 bytes, the file has 0x60/],
    ['a bad checksum', badSum, 0x9, 'SPCR checksum', /sum to 0x1 modulo 256, not 0/],
    ['revision 1', spcr({ revision: 1 }), 0x8, 'SPCR revision', /1 is older than 2/],
    ['an ARM DCC', spcr({ type: 0x0f }), 0x24, 'SPCR interface type', /0xf is not a UART we drive \(supported: 0x0 16550 compatible/],
    ['an unknown type', spcr({ type: 0x07 }), 0x24, 'SPCR interface type', /0x7 is not a UART we drive/],
    ['PCI config space', spcr({ space: 2 }), 0x28, 'SPCR serial port address space', /2 is neither 0 .* nor 1/],
    ['a PL011 in I/O space', spcr({ space: 1, address: 0x3f8n }), 0x28, 'SPCR serial port address space', /PL011 cannot live in I\/O/],
    ['a bit offset', spcr({ type: 0x00, bitOffset: 8 }), 0x2a, 'SPCR serial port register bit offset', /8: registers must start at bit 0/],
    ['a 4-bit register', spcr({ type: 0x00, bitWidth: 4 }), 0x29, 'SPCR serial port register bit width', /4 is narrower than a byte/],
    ['qword access', spcr({ type: 0x00, access: 4 }), 0x2b, 'SPCR serial port access width', /4 \(64-bit\) is not 1/],
    ['a port beyond 0xffff', spcr({ type: 0x00, space: 1, access: 1, address: 0x1_0000n }), 0x2c, 'SPCR serial port address', /port 0x10000 is beyond 0xffff/],
    ['a misaligned dword UART', spcr({ type: 0x12, address: 0x1002n }), 0x2c, 'SPCR serial port address', /0x1002 is not aligned to the 4-byte/],
    ['a misaligned PL011', spcr({ address: 0x900_0001n }), 0x2c, 'SPCR serial port address', /not aligned/],
    ['a reserved baud code', spcr({ baud: 5 }), 0x3a, 'SPCR baud rate', /code 5 is not 0 \(as is\), 3 \(9600\)/],
    ['an absurd precise baud rate', spcr({ revision: 4, preciseBaud: 10_000_000 }), 0x54, 'SPCR precise baud rate', /above 4000000/],
  ])('rejects %s', (_name, data, offset, field, what) => {
    let err: unknown;
    try {
      consoleFromSpcr(data, 'x.bin');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    const f = err as FormatError;
    expect([f.file, f.offset, f.field]).toEqual(['x.bin', offset, field]);
    expect(f.message).toMatch(what);
    expect(f.message.startsWith(`x.bin: offset 0x${offset.toString(16)}: ${field}: `)).toBe(true);
    expect(f.exitCode).toBe(2);
  });
});

describe('consoleFromSpcr on mutated tables', () => {
  it('only ever returns a console or throws FormatError', () => {
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const t = spcr({ revision: 2 + rand(3), type: [0, 1, 3, 0xd, 0xe, 0x10, 0x12][rand(7)] });
      for (let k = rand(4); k >= 0; k--) t[rand(t.length)] = rand(256);
      if (rand(2) === 0) fixChecksum(t);
      const data = rand(8) === 0 ? t.subarray(0, rand(t.length)) : t;
      try {
        expect(consoleFromSpcr(data, 'fuzz').kind).toMatch(/^(pl011|16550|none)$/);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});

describe('pickConsole', () => {
  const a = { kind: 'none' } as const;
  const b: ConsoleDesc = { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 };
  it('prefers --console, then SPCR, then the machine', () => {
    expect(pickConsole({ option: a, spcr: b, machine: b })).toEqual({ console: a, source: 'option' });
    expect(pickConsole({ spcr: b, machine: a })).toEqual({ console: b, source: 'spcr' });
    expect(pickConsole({ machine: a })).toEqual({ console: a, source: 'machine' });
    expect(pickConsole({})).toEqual({});
  });
});

describe('plan --spcr', () => {
  const tmp = tempDir('gp-spcr-');
  const e820 = join(tmp, 'e820.txt');
  writeFileSync(e820, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\nBIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n');
  const com2 = join(tmp, 'SPCR');
  writeFileSync(com2, spcr({ type: 0x00, space: 1, bitWidth: 8, access: 1, address: 0x2f8n, baud: 7 }));
  // A DT whose stdout-path names a PL011 at 0x9000000: SPCR must win over it.
  const dtb = join(tmp, 'board.dtb');
  writeFileSync(dtb, buildDtb({
    name: '', props: { '#address-cells': [2], '#size-cells': [2] },
    children: [
      { name: 'chosen', props: { 'stdout-path': '/pl011@9000000' } },
      { name: 'memory@40000000', props: { device_type: 'memory', reg: [0, 0x4000_0000, 0, 0x4000_0000] } },
      { name: 'pl011@9000000', props: { compatible: ['arm,pl011', 'arm,primecell'], reg: [0, 0x900_0000, 0, 0x1000] } },
    ],
  }));
  const sbsa = join(tmp, 'SPCR-sbsa');
  writeFileSync(sbsa, spcr({ type: 0x0e, address: 0x9040000n, baud: 7 }));

  it('shows the console the table names, and where it came from', () => {
    const r = cli(['plan', debianKernel('x86_64'), '--e820', e820, '--spcr', com2]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`console: 16550,io,0x2f8,baud=115200 (SPCR ${com2})`);
    const j = JSON.parse(cli(['plan', debianKernel('x86_64'), '--e820', e820, '--spcr', com2, '--json']).stdout);
    expect(j.console).toEqual({ spec: '16550,io,0x2f8,baud=115200', from: `SPCR ${com2}` });
  });

  it('--console wins over --spcr, which wins over the DT', () => {
    const withBoth = cli(['plan', debianKernel('x86_64'), '--e820', e820, '--spcr', com2, '--console', '16550,io,0x3f8']);
    expect(withBoth.stdout).toContain('console: 16550,io,0x3f8 (--console)');
    const dtOnly = cli(['plan', debianKernel('arm64'), '--dtb', dtb]);
    expect(dtOnly.stdout).toContain("console: pl011,0x9000000 (the DT's stdout-path)");
    const dtAndSpcr = cli(['plan', debianKernel('arm64'), '--dtb', dtb, '--spcr', sbsa]);
    expect(dtAndSpcr.stdout).toContain(`console: pl011,0x9040000,baud=115200 (SPCR ${sbsa})`);
  });

  it('rejects a bad table with one line and exit status 2', () => {
    const bad = join(tmp, 'bad-SPCR');
    writeFileSync(bad, spcr({ type: 0x07 }));
    const r = cli(['plan', debianKernel('x86_64'), '--e820', e820, '--spcr', bad]);
    expect(r.status).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain(`${bad}: offset 0x24: SPCR interface type: 0x7 is not a UART we drive`);
    const missing = cli(['plan', debianKernel('x86_64'), '--e820', e820, '--spcr', join(tmp, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/spcr .*nope: cannot read: no such file/);
  });

  it('is in both commands\' --help', () => {
    for (const c of ['plan', 'qemu']) expect(cli([c, '--help']).stdout).toMatch(/--spcr F +take the console from an ACPI SPCR table/);
  });
});
