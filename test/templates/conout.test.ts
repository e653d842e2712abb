// templates/conout.ts on the host: SimpleTextOutput called through its table, as a
// payload calls it, with the text landing on the console.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read, write } from '../../templates/rt/memory.ts';
import { callptr, takeConsole } from '../../templates/rt/intrinsics.ts';
import { SUCCESS, INVALID, UNSUPPORTED } from '../support/efi.ts';

let co: Record<string, unknown>;
let iface: bigint;
beforeAll(async () => { co = await loadTemplate('templates/conout.ts'); });
beforeEach(() => {
  iface = (co.conoutInit as () => bigint)();
  takeConsole();
});

const MEMBERS = ['reset', 'outputString', 'testString', 'queryMode', 'setMode', 'setAttribute', 'clearScreen',
  'setCursorPosition', 'enableCursor'] as const;
const STR = 0x20_0000n;
const OUT = 0x21_0000n;

type Layout = Record<string, bigint>;
const slot = (name: string): bigint => read(iface + (co.SimpleTextOutput as Layout)[name], 8);
const call = (name: string, ...args: bigint[]): bigint => callptr(slot(name), iface, ...args);
const mode = (): bigint => read(iface + (co.SimpleTextOutput as Layout).mode, 8);
const field = (name: string): bigint => {
  const off = (co.TextMode as Layout)[name];
  return name === 'cursorVisible' ? read(mode() + off, 1) : read(mode() + off, 4);
};

function ucs2At(at: bigint, text: string): bigint {
  [...text].forEach((ch, i) => write(at + BigInt(2 * i), 2, BigInt(ch.charCodeAt(0))));
  write(at + BigInt(2 * text.length), 2, 0n);
  return at;
}

describe('SimpleTextOutput', () => {
  it('fills every member with a function and Mode with one 80x25 mode', () => {
    expect((co.SimpleTextOutput as Layout).$size).toBe(80n);
    expect((co.TextMode as Layout).$size).toBe(24n);
    const fns = MEMBERS.map(slot);
    expect(new Set(fns).size).toBe(MEMBERS.length);
    expect(fns.every((f) => f !== 0n)).toBe(true);
    expect(['maxMode', 'mode', 'attribute', 'cursorColumn', 'cursorRow', 'cursorVisible'].map(field)).toEqual([1n, 0n, 7n, 0n, 0n, 1n]);
  });

  it('writes UCS-2 text to the console: ASCII as is, CR dropped, the rest as ?', () => {
    expect(call('outputString', ucs2At(STR, 'Hello\r\nW\u00f6rld \u2500 ok\r\n> '))).toBe(SUCCESS);
    expect(takeConsole()).toBe('Hello\nW?rld ? ok\n> ');
    expect([field('cursorColumn'), field('cursorRow')]).toEqual([2n, 2n]);
    expect(call('outputString', 0n)).toBe(INVALID);
  });

  it('keeps the cursor inside 80x25 however much is written', () => {
    call('outputString', ucs2At(STR, 'x'.repeat(85)));
    expect([field('cursorColumn'), field('cursorRow')]).toEqual([5n, 1n]);
    call('outputString', ucs2At(STR, '\n'.repeat(40)));
    expect([field('cursorColumn'), field('cursorRow')]).toEqual([0n, 24n]);
    call('outputString', ucs2At(STR, 'ab\b'));
    expect(field('cursorColumn')).toBe(1n);
    expect(takeConsole().endsWith('ab\b')).toBe(true);
  });

  it('tests strings for characters it cannot show', () => {
    expect(call('testString', ucs2At(STR, 'plain\r\n'))).toBe(SUCCESS);
    expect(call('testString', ucs2At(STR, 'box \u2500'))).toBe(UNSUPPORTED);
    expect(takeConsole()).toBe('');
  });

  it('answers QueryMode and SetMode for mode 0 only', () => {
    expect(call('queryMode', 0n, OUT, OUT + 8n)).toBe(SUCCESS);
    expect([read(OUT, 8), read(OUT + 8n, 8)]).toEqual([80n, 25n]);
    expect(call('queryMode', 1n, OUT, OUT + 8n)).toBe(UNSUPPORTED);
    expect(call('queryMode', 0n, 0n, OUT + 8n)).toBe(INVALID);
    call('setCursorPosition', 3n, 4n);
    expect(call('setMode', 0n)).toBe(SUCCESS);
    expect([field('mode'), field('cursorColumn'), field('cursorRow')]).toEqual([0n, 0n, 0n]);
    expect(call('setMode', 1n)).toBe(UNSUPPORTED);
  });

  it('records attribute, cursor position and visibility', () => {
    expect(call('setAttribute', 0x1fn)).toBe(SUCCESS);
    expect(field('attribute')).toBe(0x1fn);
    expect(call('setAttribute', 0x80n)).toBe(UNSUPPORTED);
    expect(call('setCursorPosition', 79n, 24n)).toBe(SUCCESS);
    expect([field('cursorColumn'), field('cursorRow')]).toEqual([79n, 24n]);
    expect(call('setCursorPosition', 80n, 0n)).toBe(UNSUPPORTED);
    expect(call('setCursorPosition', 0n, 25n)).toBe(UNSUPPORTED);
    expect(call('clearScreen')).toBe(SUCCESS);
    expect([field('cursorColumn'), field('cursorRow')]).toEqual([0n, 0n]);
    expect(call('enableCursor', 0xff00n)).toBe(SUCCESS); // a BOOLEAN: only the low byte counts
    expect(field('cursorVisible')).toBe(0n);
    expect(call('enableCursor', 0x01n)).toBe(SUCCESS);
    expect(field('cursorVisible')).toBe(1n);
    expect(call('reset', 0n)).toBe(SUCCESS);
    expect(field('attribute')).toBe(7n);
    expect(takeConsole()).toBe('');
  });
});
