// The console the loader's command line names, for a wrapped image whose record names
// none. Linux's forms for a 16550: earlycon=uart8250,… and earlycon=uart,…,
// console=uart8250,… and console=uart,… (io|mmio|mmio16|mmio32,ADDR or a bare 0xADDR
// for MMIO, then ,BAUD…), and console=ttySN[,BAUD…] for the PC's four standard ports.
// The last UART named wins, as the last console= is Linux's preferred one; a console we
// cannot drive (tty0, hvc0, mmio32be) is passed over. Words inside quotes are values,
// not parameters, and everything after "--" belongs to init.
import { u8, u32, u64, type ptr } from '../rt/types.ts';
import { load8, load16, store32, store64, ascii, table } from '../rt/intrinsics.ts';
import { Handoff } from '../handoff.ts';
import { hbBlock } from './build.ts';

const KIND_16550: u32 = 2n;
const SPACE_MMIO: u32 = 0n;
const SPACE_IO: u32 = 1n;
const QUOTE: u8 = 0x22n;
const COMMA: u8 = 0x2cn;
const DASH: u8 = 0x2dn;
const ZERO: u8 = 0x30n;
const THREE: u8 = 0x33n;
const U32_MAX: u64 = 0xffff_ffffn;
const PORT_MAX: u64 = 0xffffn;
/** A digit value no radix reaches: not a digit. */
const NOT_DIGIT: u64 = 99n;
/** COM1 to COM4: the I/O ports of ttyS0 to ttyS3 on a PC. */
const TTYS_PORTS = table(2, [0x3f8n, 0x2f8n, 0x3e8n, 0x2e8n]);

const P_CONSOLE = ascii('console=');
const P_EARLYCON = ascii('earlycon=');
const V_TTYS = ascii('ttyS');
const V_UART8250 = ascii('uart8250,');
const V_UART = ascii('uart,');
const V_IO = ascii('io,');
const V_MMIO = ascii('mmio,');
const V_MMIO16 = ascii('mmio16,');
const V_MMIO32 = ascii('mmio32,');
const V_HEX = ascii('0x');

/** The scanner over the value being read: [cur, lim). */
let cur: ptr = 0n;
let lim: ptr = 0n;
/** Digits the last number() read; 0 when there was no number or it overflowed. */
let digits: u64 = 0n;
/** The last UART named so far (kind 0: none). */
let kind: u32 = 0n;
let space: u32 = 0n;
let base: u64 = 0n;
let shift: u32 = 0n;
let width: u32 = 0n;
let baud: u32 = 0n;

/** Reads the `n` bytes of command line at `p`; writes the last UART named into the block. */
export function cmdlineConsole(p: ptr, n: u64): void {
  kind = 0n;
  const end: ptr = p + n;
  let t: ptr = p;
  while (t < end) {
    while (t < end && isSpace(load8(t))) t++;
    const start: ptr = t;
    let quoted: boolean = false;
    while (t < end && (quoted || !isSpace(load8(t)))) {
      if (load8(t) == QUOTE) quoted = !quoted;
      t++;
    }
    if (t - start == 2n && load8(start) == DASH && load8(start + 1n) == DASH) break;
    if (t > start) param(start, t);
  }
  if (kind != 0n) apply();
}

function isSpace(c: u8): boolean {
  return c == 0x20n || (c >= 0x09n && c <= 0x0dn);
}

/** One word [start, end): console= or earlycon=, the name and the value possibly quoted. */
function param(start: ptr, end: ptr): void {
  cur = start;
  lim = end;
  skipQuote();
  const isConsole: boolean = accept(P_CONSOLE);
  if (!isConsole && !accept(P_EARLYCON)) return;
  skipQuote();
  let q: ptr = cur;
  while (q < lim && load8(q) != QUOTE) q++;
  lim = q; // a closing quote ends the value
  if (isConsole && accept(V_TTYS)) ttyS();
  else if (accept(V_UART8250) || accept(V_UART)) uart();
}

function skipQuote(): void {
  if (cur < lim && load8(cur) == QUOTE) cur++;
}

/** Advances past `lit` (NUL-terminated) if the value continues with it. */
function accept(lit: ptr): boolean {
  let i: u64 = 0n;
  while (load8(lit + i) != 0n) {
    if (cur + i >= lim || load8(cur + i) != load8(lit + i)) return false;
    i++;
  }
  cur += i;
  return true;
}

/** Whether the value continues with `lit`, without moving. */
function at(lit: ptr): boolean {
  const was: ptr = cur;
  const yes: boolean = accept(lit);
  cur = was;
  return yes;
}

/** ttyS0 to ttyS3, then ",BAUD…" or nothing. */
function ttyS(): void {
  if (cur >= lim || load8(cur) < ZERO || load8(cur) > THREE) return;
  const port: u64 = u64(load16(TTYS_PORTS + u64(load8(cur) - ZERO) * 2n));
  cur++;
  if (cur < lim && load8(cur) != COMMA) return; // ttyS10 and the like: not a PC port
  choose(SPACE_IO, port, 0n, 1n);
}

/** The earlycon syntax after "uart8250," or "uart,": the access, the address, the options. */
function uart(): void {
  let sp: u32 = SPACE_MMIO;
  let sh: u32 = 0n;
  let w: u32 = 1n;
  if (accept(V_IO)) sp = SPACE_IO;
  else if (accept(V_MMIO16)) { sh = 1n; w = 2n; }
  else if (accept(V_MMIO32)) { sh = 2n; w = 4n; }
  else if (!accept(V_MMIO) && !at(V_HEX)) return; // mmio32be and other accesses we do not drive
  const addr: u64 = number();
  if (digits == 0n || addr == 0n || (sp == SPACE_IO && addr > PORT_MAX)) return;
  choose(sp, addr, sh, w);
}

/** Remembers a UART with the baud of its options (",115200n8"; 0 keeps the rate). */
function choose(sp: u32, addr: u64, sh: u32, w: u32): void {
  while (cur < lim && load8(cur) != COMMA) cur++;
  let b: u64 = 0n;
  if (cur < lim) {
    cur++;
    b = number();
    if (digits == 0n || b > U32_MAX) b = 0n;
  }
  kind = KIND_16550;
  space = sp;
  base = addr;
  shift = sh;
  width = w;
  baud = u32(b);
}

/** A number as Linux's simple_strtoull reads it with base 0: 0x hex, leading 0 octal, else decimal. */
function number(): u64 {
  let radix: u64 = 10n;
  if (accept(V_HEX)) radix = 16n;
  else if (cur < lim && load8(cur) == ZERO) radix = 8n;
  let v: u64 = 0n;
  digits = 0n;
  let overflow: boolean = false;
  while (cur < lim && digitValue(load8(cur)) < radix) {
    const d: u64 = digitValue(load8(cur));
    if (v > (0xffff_ffff_ffff_ffffn - d) / radix) overflow = true;
    v = v * radix + d;
    digits++;
    cur++;
  }
  if (overflow) digits = 0n;
  return v;
}

function digitValue(c: u8): u64 {
  if (c >= 0x30n && c <= 0x39n) return u64(c - 0x30n);
  if (c >= 0x61n && c <= 0x66n) return u64(c - 0x57n);
  if (c >= 0x41n && c <= 0x46n) return u64(c - 0x37n);
  return NOT_DIGIT;
}

/** Writes the UART found into the block's console (32 bytes, docs/handoff.md). */
function apply(): void {
  const h: ptr = hbBlock();
  store32(h + Handoff.consoleKind, kind);
  store32(h + Handoff.consoleSpace, space);
  store64(h + Handoff.consoleBase, base);
  store32(h + Handoff.consoleShift, shift);
  store32(h + Handoff.consoleWidth, width);
  store32(h + Handoff.consoleBaud, baud);
}
