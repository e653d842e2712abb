// What TypeScript cannot say, as functions: the compiler turns each call into machine
// code (or a call into stubs-asm); on the host these bodies run instead, over the
// simulated memory of memory.ts. Keep the two in step: the differential tests compare.
import { read, write, writeBytes } from './memory.ts';
import type { u8, u16, u32, u64, ptr } from './types.ts';

export const load8 = (a: ptr): u8 => read(a, 1);
export const load16 = (a: ptr): u16 => read(a, 2);
export const load32 = (a: ptr): u32 => read(a, 4);
export const load64 = (a: ptr): u64 => read(a, 8);
export const store8 = (a: ptr, v: u8): void => write(a, 1, v);
export const store16 = (a: ptr, v: u16): void => write(a, 2, v);
export const store32 = (a: ptr, v: u32): void => write(a, 4, v);
export const store64 = (a: ptr, v: u64): void => write(a, 8, v);

// Static data: module-level constants the compiler places in the blob. On the host they
// are carved, once per call site, from a region no test touches otherwise.
const STATIC_BASE = 0x7000_0000_0000n;
let staticTop = STATIC_BASE;

function carve(bytes: Uint8Array, align: bigint): ptr {
  staticTop = ((staticTop + align - 1n) / align) * align;
  const at = staticTop;
  writeBytes(at, bytes);
  staticTop += BigInt(Math.max(bytes.length, 1));
  return at;
}

/** A NUL-terminated ASCII string in static data. */
export function ascii(text: string): ptr {
  return carve(Uint8Array.from([...Buffer.from(text, 'latin1'), 0]), 1n);
}

/** A NUL-terminated UCS-2 string, as UEFI wants. */
export function ucs2(text: string): ptr {
  const b = new Uint8Array(text.length * 2 + 2);
  for (let i = 0; i < text.length; i++) b.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], i * 2);
  return carve(b, 2n);
}

/**
 * A GUID's 16-byte EFI layout (first three fields little-endian) from its registry text
 * form, or undefined when the text is not a GUID. The compiler lays out guid() with it too.
 */
export function guidBytes(text: string): number[] | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return undefined;
  const h = text.replace(/-/g, '');
  const pairs = (s: string): number[] => (s.match(/../g) ?? []).map((x) => parseInt(x, 16));
  return [...pairs(h.slice(0, 8)).reverse(), ...pairs(h.slice(8, 12)).reverse(), ...pairs(h.slice(12, 16)).reverse(), ...pairs(h.slice(16))];
}

/** A GUID in its 16-byte EFI layout, from its registry text form. */
export function guid(text: string): ptr {
  const bytes = guidBytes(text);
  if (!bytes) throw new Error(`guid: '${text}' is not a GUID`);
  return carve(Uint8Array.from(bytes), 8n);
}

/** A table of integers of one width (1, 2, 4 or 8 bytes) in static data. */
export function table(width: 1 | 2 | 4 | 8, values: bigint[]): ptr {
  const b = new Uint8Array(values.length * width);
  values.forEach((v, i) => { for (let k = 0; k < width; k++) b[i * width + k] = Number((v >> BigInt(8 * k)) & 0xffn); });
  return carve(b, BigInt(width));
}

/** `size` zeroed, writable bytes in static data (buffers, pools, stacks). */
export function zeroed(size: bigint, align: bigint = 16n): ptr {
  return carve(new Uint8Array(Number(size)), align);
}

type Layout<F> = { readonly [K in keyof F]: u64 } & { readonly $size: u64 };
const WIDTHS = new Map<unknown, bigint>();

/**
 * A C-like struct layout: each field at its natural alignment, size rounded to the
 * largest. Fields are given by their type's conversion function (u32, u64, ptr…);
 * `S.field` is the field's offset and `S.$size` the size.
 */
export function struct<F extends Record<string, (x: bigint) => bigint>>(fields: F): Layout<F> {
  const out: Record<string, bigint> = {};
  let off = 0n;
  let max = 1n;
  for (const [name, fn] of Object.entries(fields)) {
    const w = WIDTHS.get(fn);
    if (w === undefined) throw new Error(`struct field ${name}: not an integer type`);
    off = ((off + w - 1n) / w) * w;
    out[name] = off;
    off += w;
    if (w > max) max = w;
  }
  out.$size = ((off + max - 1n) / max) * max;
  return out as Layout<F>;
}

// Function pointers: on the host an address is a key into this table.
const FN_BASE = 0x7f00_0000_0000n;
const fns: ((...a: bigint[]) => bigint | void)[] = [];

/** The address of a function, to store in a table that other code calls. */
export function fnaddr(f: (...a: never[]) => bigint | void): ptr {
  let i = fns.indexOf(f as (...a: bigint[]) => bigint | void);
  if (i < 0) i = fns.push(f as (...a: bigint[]) => bigint | void) - 1;
  return FN_BASE + BigInt(i) * 16n;
}

/**
 * A table of functions in static data, read only through fnfill. Compiled, each 32-bit
 * entry is the function's offset from the table (position-independent, no relocation);
 * here it is the function's index in the host's table.
 */
export function fntable(list: ((...a: never[]) => bigint | void)[]): ptr {
  return table(4, list.map((f) => (fnaddr(f) - FN_BASE) / 16n));
}

/** Stores the addresses of the first `n` functions of fntable `t` as 64-bit words at `dst`. */
export function fnfill(dst: ptr, t: ptr, n: u64): void {
  for (let i = 0n; i < n; i++) write(dst + 8n * i, 8, FN_BASE + 16n * read(t + 4n * i, 4));
}

/** Calls the function at address `f` with the platform's calling convention. */
export function callptr(f: ptr, ...args: bigint[]): u64 {
  const fn = fns[Number((f - FN_BASE) / 16n)];
  if (!fn || (f - FN_BASE) % 16n !== 0n) throw new Error(`callptr: 0x${f.toString(16)} is not a function`);
  // Machine code sees 64-bit register values: a signed result comes back as its bit pattern.
  return BigInt.asUintN(64, fn(...args) ?? 0n);
}

/** Registers the widths struct() needs; called once by the host prelude. */
export function registerWidths(pairs: [unknown, bigint][]): void {
  for (const [fn, w] of pairs) WIDTHS.set(fn, w);
}

// The console: compiled code calls rt_putc in stubs-asm (the UART driver); on the host
// the bytes are collected for tests to read.
const consoleBytes: number[] = [];

/** Sends one byte to the console ("\n" goes out as "\r\n" on a UART). */
export function putc(c: u8): void {
  consoleBytes.push(Number(c & 0xffn));
}

/** Everything putc sent since the last call, as text; clears it. */
export function takeConsole(): string {
  const s = Buffer.from(consoleBytes).toString('latin1');
  consoleBytes.length = 0;
  return s;
}

// Machine control. Compiled, each is an rt_<name> routine in stubs-asm/<arch>/runtime.s;
// on the host they act on a simulated machine.

/** Orders every earlier memory access before every later one (dsb+isb / mfence). */
export function barrier(): void {}

/** Cleans and invalidates [addr, addr+len) to the point of coherency (arm64; x86 is coherent). */
export function cacheClean(addr: ptr, len: u64): void {
  cleaned.push([addr, len]);
}
const cleaned: [ptr, u64][] = [];

/** Host only: the ranges cacheClean was given since the last call (tests check coverage). */
export function cleanedForTest(): [ptr, u64][] {
  return cleaned.splice(0);
}

/**
 * Calls `entry(a0, a1)` with the UEFI convention on the stack whose top is `stackTop`,
 * and returns its result: how an image's entry point gets its own stack.
 */
export function callEntry(entry: ptr, _stackTop: ptr, a0: u64, a1: u64): u64 {
  return callptr(entry, a0, a1);
}

// I/O ports: real on x86; reads give all ones and writes vanish on arm64, which has none.
const ports = new Map<bigint, bigint>();
export const outb = (port: u16, v: u8): void => void ports.set(port, v & 0xffn);
export const outw = (port: u16, v: u16): void => void ports.set(port, v & 0xffffn);
export const outl = (port: u16, v: u32): void => void ports.set(port, v & 0xffff_ffffn);
export const inb = (port: u16): u8 => (ports.get(port) ?? 0xffn) & 0xffn;
export const inw = (port: u16): u16 => (ports.get(port) ?? 0xffffn) & 0xffffn;
export const inl = (port: u16): u32 => (ports.get(port) ?? 0xffff_ffffn) & 0xffff_ffffn;

/** A free-running counter (cntvct_el0 / rdtsc) and its frequency in Hz (0 if unknown). */
export const readTimer = (): u64 => process.hrtime.bigint();
export const timerFrequency = (): u64 => 1_000_000_000n;

// The firmware half of the machine: paging, image entry, bulk memory and stopping.
// Compiled, each is rt_<name> in stubs-asm/<arch>/; on the host they act on the
// simulated machine, whose parameters a test may change with setArchParams.

/** Indices of archParam; templates/arch.ts names them for the emulator. */
const HOST_ARCH_PARAMS: bigint[] = [
  0xaa64n, // PE machine the host pretends to be
  4n, // page-table levels
  0x3n, 0x705n, 0x0060_0000_0000_0401n, 0x707n, 0x0060_0000_0000_0403n, // table, block RAM/device, page RAM/device
  30n, // largest block: 1 GiB
  40n, // physical address bits
  1n, // exception level
];
let archParams: bigint[] = [...HOST_ARCH_PARAMS];

/** A fact about the architecture and the running CPU (templates/arch.ts lists them). */
export function archParam(i: u64): u64 {
  const v = archParams[Number(i)];
  if (v === undefined) throw new Error(`archParam: no parameter ${i}`);
  return v;
}

/** Host tests change the simulated CPU here; called with no argument, restores the default. */
export function setArchParams(values?: bigint[]): void {
  archParams = values ? [...values] : [...HOST_ARCH_PARAMS];
}

let mmuRoot = 0n;
/** Loads the page-table root and turns translation and caches on (arm64), or loads CR3 (x86). */
export function mmuEnable(root: ptr): void {
  mmuRoot = root;
}
/** The root the last mmuEnable loaded (host only). */
export const mmuRootForTest = (): ptr => mmuRoot;

class LeaveImage {
  constructor(readonly ctx: ptr, readonly status: u64) {}
}

/**
 * Calls `entry(handle, systab)` with the UEFI convention on the stack ending at
 * `stackTop`, first saving what leaveImage(ctx, …) needs to come back here; returns the
 * entry's result, or the status leaveImage passed.
 */
export function enterImage(entry: ptr, _stackTop: ptr, handle: u64, systab: u64, ctx: ptr): u64 {
  try {
    return callptr(entry, handle, systab);
  } catch (e) {
    if (e instanceof LeaveImage && e.ctx === ctx) return e.status;
    throw e;
  }
}

/** Unwinds to the enterImage that saved `ctx`, which then returns `status`. */
export function leaveImage(ctx: ptr, status: u64): void {
  throw new LeaveImage(ctx, status);
}

/** CopyMem: `n` bytes from `src` to `dst`; the ranges may overlap. */
export function copyMem(dst: ptr, src: ptr, n: u64): void {
  const bytes = new Uint8Array(Number(n));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number(read(src + BigInt(i), 1));
  writeBytes(dst, bytes);
}

/** SetMem: `n` bytes at `dst` set to `v`. */
export function setMem(dst: ptr, n: u64, v: u8): void {
  for (let i = 0n; i < n; i++) write(dst + i, 1, v & 0xffn);
}

/** Thrown by halt on the host: the machine stopped after a failure. */
export class MachineHalted extends Error {
  constructor() {
    super('machine halted');
  }
}

/** Stops the machine after a failure (PSCI SYSTEM_OFF or the debug exit), never returns. */
export function halt(): void {
  throw new MachineHalted();
}
