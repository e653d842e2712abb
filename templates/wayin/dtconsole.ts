// The console named by /chosen/stdout-path: an alias or a path, ":options" ignored,
// resolved to a node whose `compatible` names a PL011 or a 16550 and whose `reg` is its
// MMIO base, as Linux's earlycon reads it. The path is matched component by component
// during one walk (devicetree specification §2.2.3; node names may omit the unit address).
import { u8, u32, u64, type ptr } from '../rt/types.ts';
import { load8, store32, store64, ascii } from '../rt/intrinsics.ts';
import { Handoff } from '../handoff.ts';
import { be32, cells, propName, propValue, propLen, strEq } from './fdt.ts';
import { hbBlock } from './build.ts';

const KIND_PL011: u32 = 1n;
const KIND_16550: u32 = 2n;
const SLASH: u8 = 0x2fn;
const COLON: u8 = 0x3an;
const AT: u8 = 0x40n;

const P_COMPATIBLE = ascii('compatible');
const P_REG = ascii('reg');
const P_REG_SHIFT = ascii('reg-shift');
const P_REG_IO_WIDTH = ascii('reg-io-width');
const C_PL011 = ascii('arm,pl011');
const C_SBSA = ascii('arm,sbsa-uart');
const C_16550A = ascii('ns16550a');
const C_16550 = ascii('ns16550');
const C_8250 = ascii('ns8250');
const C_DW = ascii('snps,dw-apb-uart');

let comp: ptr = 0n;
let matched: u64 = 0n;
let target: u64 = 0n;
let done: u64 = 0n;
let kind: u32 = 0n;
let base: u64 = 0n;
let shift: u32 = 0n;
let width: u32 = 0n;

/** Prepares the search for stdout-path `stdout`; false when it names nothing we can find. */
export function dtConsole(stdout: ptr, aliases: ptr): boolean {
  let path: ptr = stdout;
  if (load8(stdout) != SLASH) path = alias(stdout, aliases);
  if (path == 0n || load8(path) != SLASH) return false;
  comp = path + 1n;
  matched = 1n; // the root node, depth 1
  target = 0n;
  done = atEnd(comp) ? 1n : 0n;
  kind = 0n;
  return done == 0n;
}

/** The value of the /aliases property named like `stdout` (up to ':'); 0 if none. */
function alias(stdout: ptr, first: ptr): ptr {
  if (first == 0n) return 0n;
  let t: ptr = first;
  while (be32(t) == 3n) { // FDT_PROP: the aliases node's properties, in a row
    if (sameUntilColon(propName(t), stdout)) return propValue(t);
    t = t + 12n + ((propLen(t) + 3n) & ~3n);
  }
  return 0n;
}

function sameUntilColon(name: ptr, s: ptr): boolean {
  let i: u64 = 0n;
  while (load8(s + i) != 0n && load8(s + i) != COLON) {
    if (load8(name + i) != load8(s + i)) return false;
    i++;
  }
  return load8(name + i) == 0n;
}

function atEnd(p: ptr): boolean {
  return load8(p) == 0n || load8(p) == COLON;
}

/** A node begins at `depth`: does it continue the path? */
export function dtConsoleNode(name: ptr, depth: u64): void {
  if (done != 0n || depth == 1n) return;
  if (depth <= matched) { done = 1n; return; } // left the matched branch
  if (depth != matched + 1n || !componentIs(name)) return;
  matched = depth;
  while (!atEnd(comp) && load8(comp) != SLASH) comp++;
  if (load8(comp) == SLASH) comp++;
  if (atEnd(comp)) target = depth;
}

/** The node name equals the component, or its part before '@' does when the component has no '@'. */
function componentIs(name: ptr): boolean {
  let i: u64 = 0n;
  let sawAt: boolean = false;
  while (!atEnd(comp + i) && load8(comp + i) != SLASH) {
    if (load8(name + i) != load8(comp + i)) return false;
    if (load8(comp + i) == AT) sawAt = true;
    i++;
  }
  return load8(name + i) == 0n || (!sawAt && load8(name + i) == AT);
}

/** A property of the node at `depth`, whose parent has `ac`/`sc` cells. */
export function dtConsoleProp(name: ptr, v: ptr, len: u64, depth: u64, ac: u64, sc: u64): void {
  if (done != 0n || target == 0n || depth != target) return;
  if (strEq(name, P_COMPATIBLE)) kind = compatible(v, len);
  if (strEq(name, P_REG) && len >= (ac + sc) * 4n) base = cells(v, ac);
  if (strEq(name, P_REG_SHIFT) && len == 4n) shift = be32(v);
  if (strEq(name, P_REG_IO_WIDTH) && len == 4n) width = be32(v);
}

/** The first string of the list that names a UART we drive. */
function compatible(v: ptr, len: u64): u32 {
  let s: ptr = v;
  while (s < v + len) {
    if (strEq(s, C_PL011) || strEq(s, C_SBSA)) return KIND_PL011;
    if (strEq(s, C_16550A) || strEq(s, C_16550) || strEq(s, C_8250) || strEq(s, C_DW)) return KIND_16550;
    while (s < v + len && load8(s) != 0n) s++;
    s++;
  }
  return 0n;
}

/** Writes the console found into the block (32 bytes, docs/handoff.md); nothing if none. */
export function dtConsoleApply(): void {
  if (kind == 0n || base == 0n) return;
  const h: ptr = hbBlock();
  store32(h + Handoff.consoleKind, kind);
  store32(h + Handoff.consoleSpace, 0n); // MMIO
  store64(h + Handoff.consoleBase, base);
  store32(h + Handoff.consoleShift, kind == KIND_PL011 ? 0n : shift);
  store32(h + Handoff.consoleWidth, kind == KIND_PL011 ? 4n : (width == 0n ? 1n : width));
}
