// Flattened device tree (DTB) reader, per the Devicetree Specification v0.4 ch. 5, plus
// the few queries the loader needs: memory, PSCI conduit and the stdout UART.
// Every byte read is bounds-checked against the block it belongs to, so a malformed or
// truncated blob always ends in a FormatError naming the offset and field.
import { readFileSync } from 'node:fs';
import { FormatError, GenError } from '../errors.ts';
import type { ConsoleDesc } from '../loader/console.ts';
import { RegionType, sortRegions, type MemRegion } from '../loader/memory.ts';

export const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_V17_SIZE = 40;
// Real trees nest a handful of levels; this only stops pathological input.
const MAX_DEPTH = 64;
// The spec allows 31 characters for node and property names; leave room for sloppy trees.
const MAX_NAME = 1024;

export interface FdtHeader {
  totalSize: number;
  offDtStruct: number;
  offDtStrings: number;
  offMemRsvmap: number;
  version: number;
  lastCompVersion: number;
  bootCpuidPhys: number;
  sizeDtStrings: number;
  sizeDtStruct: number;
}

/** One entry of the memory reservation block. */
export interface FdtReservation {
  address: bigint;
  size: bigint;
}

export interface FdtProp {
  name: string;
  value: Uint8Array;
  /** File offset of the value, for error messages. */
  offset: number;
  file: string;
}

export interface FdtNode {
  /** Node name with unit address ("memory@40000000"); "" for the root. */
  name: string;
  path: string;
  /** File offset of the FDT_BEGIN_NODE token. */
  offset: number;
  props: FdtProp[];
  children: FdtNode[];
  parent: FdtNode | undefined;
  file: string;
}

export interface Fdt {
  file: string;
  header: FdtHeader;
  reservations: FdtReservation[];
  root: FdtNode;
}

/** One (address, size) pair of a `reg` property. */
export interface RegEntry {
  address: bigint;
  size: bigint;
}

/** Bounds-checked big-endian reads inside [0, end) of one buffer. */
class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(offset: number, length: number, end: number, field: string): void {
    if (offset < 0 || length < 0 || offset + length > end) {
      throw new FormatError(this.file, offset, field, `needs ${length} bytes but the block ends at 0x${end.toString(16)}`);
    }
  }

  u32(offset: number, end: number, field: string): number {
    this.check(offset, 4, end, field);
    return this.view.getUint32(offset, false);
  }

  u64(offset: number, end: number, field: string): bigint {
    this.check(offset, 8, end, field);
    return this.view.getBigUint64(offset, false);
  }

  /** NUL-terminated name starting at offset; the NUL must lie before end. */
  cstring(offset: number, end: number, field: string): string {
    this.check(offset, 0, end, field);
    const nul = this.bytes.subarray(0, end).indexOf(0, offset);
    if (nul < 0) throw new FormatError(this.file, offset, field, 'string is not NUL-terminated within its block');
    if (nul - offset > MAX_NAME) throw new FormatError(this.file, offset, field, `longer than ${MAX_NAME} bytes`);
    return new TextDecoder('latin1').decode(this.bytes.subarray(offset, nul));
  }
}

const align4 = (n: number): number => (n + 3) & ~3;
const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

function parseHeader(r: Reader): FdtHeader {
  const len = r.bytes.length;
  const magic = r.u32(0, len, 'header.magic');
  if (magic !== FDT_MAGIC) {
    throw new FormatError(r.file, 0, 'header.magic', `${hex(magic)} is not ${hex(FDT_MAGIC)}: not a device tree blob`);
  }
  const field = (i: number, name: string): number => r.u32(4 * i, len, `header.${name}`);
  const h: FdtHeader = {
    totalSize: field(1, 'totalsize'),
    offDtStruct: field(2, 'off_dt_struct'),
    offDtStrings: field(3, 'off_dt_strings'),
    offMemRsvmap: field(4, 'off_mem_rsvmap'),
    version: field(5, 'version'),
    lastCompVersion: field(6, 'last_comp_version'),
    bootCpuidPhys: field(7, 'boot_cpuid_phys'),
    sizeDtStrings: field(8, 'size_dt_strings'),
    sizeDtStruct: 0,
  };
  if (h.version < 16) throw new FormatError(r.file, 20, 'header.version', `version ${h.version} is older than 16`);
  if (h.lastCompVersion > 17) {
    throw new FormatError(r.file, 24, 'header.last_comp_version', `${h.lastCompVersion} is newer than 17`);
  }
  // Version 16 has no size_dt_struct; the structure block then runs to the end.
  h.sizeDtStruct = h.version >= 17 ? field(9, 'size_dt_struct') : h.totalSize - h.offDtStruct;
  checkLayout(r, h);
  return h;
}

function checkLayout(r: Reader, h: FdtHeader): void {
  const headerSize = h.version >= 17 ? HEADER_V17_SIZE : 36;
  const fail = (off: number, field: string, what: string): never => {
    throw new FormatError(r.file, off, `header.${field}`, what);
  };
  if (h.totalSize > r.bytes.length) fail(4, 'totalsize', `${hex(h.totalSize)} exceeds the file size ${hex(r.bytes.length)}`);
  if (h.totalSize < headerSize) fail(4, 'totalsize', `${hex(h.totalSize)} is smaller than the header`);
  const block = (off: number, size: number, offAt: number, name: string, align: number): void => {
    if (off % align !== 0) fail(offAt, name, `${hex(off)} is not ${align}-byte aligned`);
    if (off < headerSize || off > h.totalSize || size > h.totalSize - off) {
      fail(offAt, name, `block [${hex(off)}, +${hex(size)}) lies outside the blob (totalsize ${hex(h.totalSize)})`);
    }
  };
  block(h.offMemRsvmap, 0, 16, 'off_mem_rsvmap', 8);
  block(h.offDtStruct, h.sizeDtStruct, 8, 'off_dt_struct', 4);
  block(h.offDtStrings, h.sizeDtStrings, 12, 'off_dt_strings', 1);
}

function parseReservations(r: Reader, h: FdtHeader): FdtReservation[] {
  const out: FdtReservation[] = [];
  for (let at = h.offMemRsvmap; ; at += 16) {
    const address = r.u64(at, h.totalSize, 'memory reservation address');
    const size = r.u64(at + 8, h.totalSize, 'memory reservation size');
    if (address === 0n && size === 0n) return out;
    out.push({ address, size });
  }
}

/** State of the structure-block walk. */
interface Walk {
  r: Reader;
  h: FdtHeader;
  end: number;
  stack: FdtNode[];
  root: FdtNode | undefined;
}

function beginNode(w: Walk, tokenAt: number): number {
  const nameAt = tokenAt + 4;
  const name = w.r.cstring(nameAt, w.end, 'node name');
  const parent = w.stack.at(-1);
  if (parent === undefined && w.root !== undefined) {
    throw new FormatError(w.r.file, tokenAt, 'FDT_BEGIN_NODE', 'second top-level node after the root closed');
  }
  if (/[\0-\x1f\x7f/]/.test(name) && !(parent === undefined && name === '/')) {
    throw new FormatError(w.r.file, nameAt, 'node name', `${JSON.stringify(name)} contains '/' or control characters`);
  }
  if (parent !== undefined && name === '') throw new FormatError(w.r.file, nameAt, 'node name', 'empty name below the root');
  if (w.stack.length >= MAX_DEPTH) throw new FormatError(w.r.file, tokenAt, 'FDT_BEGIN_NODE', `nesting deeper than ${MAX_DEPTH}`);
  const nodeName = parent === undefined ? '' : name;
  const path = parent === undefined ? '/' : parent.path === '/' ? `/${name}` : `${parent.path}/${name}`;
  const node: FdtNode = { name: nodeName, path, offset: tokenAt, props: [], children: [], parent, file: w.r.file };
  if (parent === undefined) w.root = node;
  else parent.children.push(node);
  w.stack.push(node);
  return align4(nameAt + name.length + 1);
}

function property(w: Walk, tokenAt: number): number {
  const node = w.stack.at(-1);
  if (node === undefined) throw new FormatError(w.r.file, tokenAt, 'FDT_PROP', 'property outside any node');
  const len = w.r.u32(tokenAt + 4, w.end, 'property length');
  const nameOff = w.r.u32(tokenAt + 8, w.end, 'property name offset');
  const valueAt = tokenAt + 12;
  w.r.check(valueAt, len, w.end, `property value in ${node.path}`);
  if (nameOff >= w.h.sizeDtStrings) {
    throw new FormatError(w.r.file, tokenAt + 8, 'property name offset', `${hex(nameOff)} is outside the strings block`);
  }
  const strEnd = w.h.offDtStrings + w.h.sizeDtStrings;
  const name = w.r.cstring(w.h.offDtStrings + nameOff, strEnd, 'property name');
  if (name === '') throw new FormatError(w.r.file, tokenAt + 8, 'property name', `empty name in ${node.path}`);
  if (node.props.some((p) => p.name === name)) {
    throw new FormatError(w.r.file, tokenAt, 'FDT_PROP', `duplicate property ${name} in ${node.path}`);
  }
  node.props.push({ name, value: w.r.bytes.subarray(valueAt, valueAt + len), offset: valueAt, file: w.r.file });
  return align4(valueAt + len);
}

function parseStructure(r: Reader, h: FdtHeader): FdtNode {
  const w: Walk = { r, h, end: h.offDtStruct + h.sizeDtStruct, stack: [], root: undefined };
  let at = h.offDtStruct;
  for (;;) {
    const token = r.u32(at, w.end, 'structure token');
    switch (token) {
      case FDT_BEGIN_NODE:
        at = beginNode(w, at);
        break;
      case FDT_END_NODE:
        if (w.stack.pop() === undefined) throw new FormatError(r.file, at, 'FDT_END_NODE', 'no open node to end');
        at += 4;
        break;
      case FDT_PROP:
        at = property(w, at);
        break;
      case FDT_NOP:
        at += 4;
        break;
      case FDT_END:
        if (w.root === undefined) throw new FormatError(r.file, at, 'FDT_END', 'structure block has no root node');
        if (w.stack.length > 0) throw new FormatError(r.file, at, 'FDT_END', `node ${w.stack.at(-1)?.path} is not closed`);
        return w.root;
      default:
        throw new FormatError(r.file, at, 'structure token', `unknown token ${hex(token)}`);
    }
  }
}

/** Parses a whole DTB. `file` names it in errors. */
export function parseFdt(bytes: Uint8Array, file: string): Fdt {
  const r = new Reader(bytes, file);
  const header = parseHeader(r);
  const reservations = parseReservations(r, header);
  const root = parseStructure(r, header);
  return { file, header, reservations, root };
}

/** Reads and parses a DTB file. */
export function readFdt(path: string): Fdt {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new GenError(`${path}: cannot read: ${(e as Error).message}`);
  }
  return parseFdt(bytes, path);
}

// ---------------------------------------------------------------- node and property access

export function prop(node: FdtNode, name: string): FdtProp | undefined {
  return node.props.find((p) => p.name === name);
}

const propError = (p: FdtProp, node: FdtNode, what: string): FormatError =>
  new FormatError(p.file, p.offset, `${node.path === '/' ? '' : node.path}/${p.name}`, what);

export function propU32(node: FdtNode, name: string): number | undefined {
  const p = prop(node, name);
  if (p === undefined) return undefined;
  if (p.value.length !== 4) throw propError(p, node, `expected a 4-byte cell, found ${p.value.length} bytes`);
  return new DataView(p.value.buffer, p.value.byteOffset, 4).getUint32(0, false);
}

/** Accepts one or two cells: properties like linux,initrd-start come in both sizes in the wild. */
export function propU64(node: FdtNode, name: string): bigint | undefined {
  const p = prop(node, name);
  if (p === undefined) return undefined;
  if (p.value.length !== 4 && p.value.length !== 8) {
    throw propError(p, node, `expected 4 or 8 bytes, found ${p.value.length}`);
  }
  return cellsToBigint(p.value, 0, p.value.length / 4);
}

/** A list of NUL-terminated strings (e.g. `compatible`). */
export function propStrings(node: FdtNode, name: string): string[] | undefined {
  const p = prop(node, name);
  if (p === undefined) return undefined;
  if (p.value.length === 0) return [];
  if (p.value[p.value.length - 1] !== 0) throw propError(p, node, 'string list is not NUL-terminated');
  return new TextDecoder().decode(p.value.subarray(0, -1)).split('\0');
}

/** Exactly one NUL-terminated string. */
export function propString(node: FdtNode, name: string): string | undefined {
  const list = propStrings(node, name);
  if (list === undefined) return undefined;
  if (list.length !== 1) {
    const p = prop(node, name) as FdtProp;
    throw propError(p, node, `expected one string, found ${list.length}`);
  }
  return list[0];
}

function cellsToBigint(bytes: Uint8Array, at: number, cells: number): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let v = 0n;
  for (let i = 0; i < cells; i++) v = (v << 32n) | BigInt(view.getUint32(at + 4 * i, false));
  return v;
}

/** #address-cells / #size-cells a node gives its children (spec defaults 2 and 1). */
function cells(node: FdtNode | undefined, name: '#address-cells' | '#size-cells'): number {
  const v = node === undefined ? undefined : propU32(node, name);
  const n = v ?? (name === '#address-cells' ? 2 : 1);
  if (n > 4) {
    const p = prop(node as FdtNode, name) as FdtProp;
    throw propError(p, node as FdtNode, `${n} cells is more than the 4 supported`);
  }
  return n;
}

/** Decodes `reg` using the parent's #address-cells/#size-cells; [] when there is no reg. */
export function reg(node: FdtNode, parent: FdtNode | undefined = node.parent): RegEntry[] {
  const p = prop(node, 'reg');
  if (p === undefined) return [];
  const ac = cells(parent, '#address-cells');
  const sc = cells(parent, '#size-cells');
  const stride = 4 * (ac + sc);
  if (stride === 0 || p.value.length % stride !== 0) {
    throw propError(p, node, `${p.value.length} bytes is not a multiple of (${ac} + ${sc}) cells`);
  }
  const out: RegEntry[] = [];
  for (let at = 0; at < p.value.length; at += stride) {
    out.push({ address: cellsToBigint(p.value, at, ac), size: cellsToBigint(p.value, at + 4 * ac, sc) });
  }
  return out;
}

/**
 * Translates a bus address of `node` to a CPU physical address through the `ranges` of
 * its ancestors (UARTs under /soc on real boards). Undefined when a bus has no `ranges`
 * (not memory-mapped) or no range covers the address.
 */
export function translateAddress(node: FdtNode, address: bigint): bigint | undefined {
  let addr = address;
  for (let bus = node.parent; bus?.parent !== undefined; bus = bus.parent) {
    const ranges = prop(bus, 'ranges');
    if (ranges === undefined) return undefined;
    if (ranges.value.length === 0) continue; // identity mapping
    const mapped = applyRanges(bus, ranges, addr);
    if (mapped === undefined) return undefined;
    addr = mapped;
  }
  return addr;
}

function applyRanges(bus: FdtNode, ranges: FdtProp, addr: bigint): bigint | undefined {
  const childAc = cells(bus, '#address-cells');
  const parentAc = cells(bus.parent, '#address-cells');
  const sc = cells(bus, '#size-cells');
  const stride = 4 * (childAc + parentAc + sc);
  if (ranges.value.length % stride !== 0) {
    throw propError(ranges, bus, `${ranges.value.length} bytes is not a multiple of ${stride / 4} cells`);
  }
  for (let at = 0; at < ranges.value.length; at += stride) {
    const child = cellsToBigint(ranges.value, at, childAc);
    const parent = cellsToBigint(ranges.value, at + 4 * childAc, parentAc);
    const size = cellsToBigint(ranges.value, at + 4 * (childAc + parentAc), sc);
    if (addr >= child && addr - child < size) return parent + (addr - child);
  }
  return undefined;
}

/** Depth-first, document order. */
export function* walk(node: FdtNode): Generator<FdtNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

/**
 * Finds a node by path ("/chosen", "/soc/serial@7e215040") or alias-relative path
 * ("serial0"). A component without a unit address matches the first child with that
 * base name, as Linux's of_find_node_by_path does.
 */
export function findNode(fdt: Fdt, path: string): FdtNode | undefined {
  let node: FdtNode | undefined = fdt.root;
  let rest = path;
  if (!path.startsWith('/')) {
    const [alias, ...tail] = path.split('/');
    const aliases = findNode(fdt, '/aliases');
    const target = aliases === undefined ? undefined : propString(aliases, alias);
    if (target === undefined || !target.startsWith('/')) return undefined;
    node = findNode(fdt, target);
    rest = tail.join('/');
  }
  for (const comp of rest.split('/').filter((c) => c !== '')) {
    if (node === undefined) return undefined;
    const children: FdtNode[] = node.children;
    node = children.find((c) => c.name === comp) ?? (comp.includes('@') ? undefined : children.find((c) => c.name.split('@')[0] === comp));
  }
  return node;
}

const enabled = (node: FdtNode): boolean => {
  const status = propString(node, 'status');
  return status === undefined || status === 'okay' || status === 'ok';
};

// ---------------------------------------------------------------- loader queries

/**
 * RAM from every enabled `device_type = "memory"` node as Usable, and the /reserved-memory
 * children with a `reg` plus the memory reservation block as Reserved. Reserved regions
 * lie inside RAM, so the list overlaps by design; sorted by base.
 */
export function memoryRegions(fdt: Fdt): MemRegion[] {
  const out: MemRegion[] = [];
  const add = (entries: RegEntry[], type: RegionType): void => {
    for (const e of entries) if (e.size > 0n) out.push({ base: e.address, size: e.size, type });
  };
  for (const node of walk(fdt.root)) {
    if (propString(node, 'device_type') === 'memory' && enabled(node)) add(reg(node), RegionType.Usable);
  }
  const reserved = findNode(fdt, '/reserved-memory');
  for (const child of reserved?.children ?? []) {
    if (enabled(child)) add(reg(child), RegionType.Reserved);
  }
  add(fdt.reservations, RegionType.Reserved);
  return sortRegions(out);
}

/** How PSCI calls are made: `hvc` when the kernel runs at EL1 under a hypervisor, `smc` otherwise. */
export function psciConduit(fdt: Fdt): 'hvc' | 'smc' | undefined {
  const node =
    findNode(fdt, '/psci') ??
    [...walk(fdt.root)].find((n) => (propStrings(n, 'compatible') ?? []).some((c) => c.startsWith('arm,psci')));
  if (node === undefined) return undefined;
  const method = propString(node, 'method');
  if (method === undefined || method === 'hvc' || method === 'smc') return method;
  const p = prop(node, 'method') as FdtProp;
  throw propError(p, node, `${JSON.stringify(method)} is neither "hvc" nor "smc"`);
}

const UART_KINDS: Record<string, ConsoleDesc['kind']> = {
  'arm,pl011': 'pl011',
  'arm,sbsa-uart': 'pl011',
  ns16550a: '16550',
  ns16550: '16550',
  'snps,dw-apb-uart': '16550',
};

/**
 * The UART /chosen/stdout-path names (alias or path, ":options" stripped), when it is a
 * PL011 or 16550 we can drive at a CPU physical address; undefined otherwise.
 */
export function stdoutConsole(fdt: Fdt): ConsoleDesc | undefined {
  const chosen = findNode(fdt, '/chosen');
  if (chosen === undefined) return undefined;
  const spec = propString(chosen, 'stdout-path') ?? propString(chosen, 'linux,stdout-path');
  if (spec === undefined) return undefined;
  const colon = spec.indexOf(':');
  const node = findNode(fdt, colon < 0 ? spec : spec.slice(0, colon));
  if (node === undefined || !enabled(node)) return undefined;
  const kind = (propStrings(node, 'compatible') ?? []).map((c) => UART_KINDS[c]).find((k) => k !== undefined);
  const first = reg(node)[0];
  if (kind === undefined || first === undefined) return undefined;
  const base = translateAddress(node, first.address);
  if (base === undefined) return undefined;
  const desc: ConsoleDesc = { kind, space: 'mmio', base, regShift: 0, regWidth: 4 };
  if (kind === '16550') {
    desc.regShift = propU32(node, 'reg-shift') ?? 0;
    desc.regWidth = propU32(node, 'reg-io-width') ?? 1;
    checkUartLayout(node, desc);
  }
  const baud = colon < 0 ? undefined : /^[0-9]+/.exec(spec.slice(colon + 1))?.[0];
  const speed = baud !== undefined ? Number(baud) : propU32(node, 'current-speed');
  if (speed !== undefined && speed > 0) desc.baud = speed;
  return desc;
}

function checkUartLayout(node: FdtNode, desc: ConsoleDesc): void {
  if (desc.regShift > 3) throw propError(prop(node, 'reg-shift') as FdtProp, node, `${desc.regShift} is not 0..3`);
  if (![1, 2, 4].includes(desc.regWidth)) {
    throw propError(prop(node, 'reg-io-width') as FdtProp, node, `${desc.regWidth} is not 1, 2 or 4`);
  }
}
