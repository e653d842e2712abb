// --console SPEC parsing: every documented form, and errors that show a valid example.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../generator/errors.ts';
import { formatConsole, parseConsoleSpec } from '../../generator/loader/console.ts';

describe('parseConsoleSpec', () => {
  it.each([
    ['pl011,0x9000000', { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 }],
    ['pl011@0x9000000', { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4 }],
    ['PL011,0x9000000,baud=115200', { kind: 'pl011', space: 'mmio', base: 0x900_0000n, regShift: 0, regWidth: 4, baud: 115200 }],
    ['16550,io,0x3f8', { kind: '16550', space: 'io', base: 0x3f8n, regShift: 0, regWidth: 1 }],
    ['16550,io,1016,baud=9600', { kind: '16550', space: 'io', base: 0x3f8n, regShift: 0, regWidth: 1, baud: 9600 }],
    ['16550,mmio,0xfe215040', { kind: '16550', space: 'mmio', base: 0xfe21_5040n, regShift: 0, regWidth: 1 }],
    ['16550,mmio,0xfe215040,shift=2,width=4,baud=115200',
      { kind: '16550', space: 'mmio', base: 0xfe21_5040n, regShift: 2, regWidth: 4, baud: 115200 }],
    ['none', { kind: 'none' }],
  ])('%s', (spec, want) => {
    expect(parseConsoleSpec(spec)).toEqual(want);
  });

  it('round-trips through formatConsole', () => {
    for (const spec of ['pl011,0x9000000', '16550,io,0x3f8,baud=115200', '16550,mmio,0xfe215040,shift=2,width=4', 'none']) {
      const c = parseConsoleSpec(spec);
      expect(parseConsoleSpec(formatConsole(c))).toEqual(c);
    }
  });

  it.each([
    ['', /unknown console kind/],
    ['uart,0x1000', /unknown console kind "uart"/],
    ['pl011', /missing base address/],
    ['pl011,zz', /base "zz" is not a number/],
    ['pl011,0x9000000,shift=2', /pl011 takes only baud=/],
    ['16550,0x3f8', /needs the address space/],
    ['16550@0x3f8', /'@' form is for pl011/],
    ['16550,io', /missing base address/],
    ['16550,io,0x10000', /beyond the io address space/],
    ['16550,io,0x3f8,width=4', /mmio only/],
    ['16550,mmio,0x1000,width=3', /width=3: must be 1, 2 or 4/],
    ['16550,mmio,0x1002,width=4', /not aligned/],
    ['16550,mmio,0x1000,shift=9', /shift=9/],
    ['16550,mmio,0x1000,speed=9', /unknown option "speed=9"/],
    ['16550,mmio,0x1000,baud=1,baud=2', /baud= given twice|baud=1: must be/],
    ['pl011,0x10000000000000000', /beyond the mmio address space/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseConsoleSpec(spec)).toThrow(UsageError);
    expect(() => parseConsoleSpec(spec)).toThrow(message);
    expect(() => parseConsoleSpec(spec)).toThrow(/valid forms: pl011,0x9000000/);
  });
});
