// The arm64 way in: a wrapped image entered with x0 = the device tree the loader built
// (kexec-tools' setup_2nd_dtb, or the kernel's for kexec_file_load). Fills the handoff
// block from it, then deletes in place the /chosen properties the EFI stub writes anew,
// so that the tree handed on as the kernel's configuration table has no stale ones.
// Three walks over the tree: /chosen, /psci and /aliases; memory; the console's node.
import { u32, u64, type ptr } from '../rt/types.ts';
import { load8, load32, store32, store64, zeroed, ascii, cacheClean } from '../rt/intrinsics.ts';
import { Handoff, HANDOFF_FLAG_PLATFORM_SECURE_BOOT } from '../handoff.ts';
import { fail } from '../fail.ts';
import {
  FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END, be32, be64, cells, fdtOpen, fdtFirst, fdtToken,
  fdtReservations, nodeName, nodeNext, propLen, propValue, propName, propNext, propDelete, strEq, nameIs,
} from './fdt.ts';
import { hbBlock, hbRegion, hbCmdline, hbSeed, REGION_TAKEN } from './build.ts';
import { wrapBegin, wrapPassesCmdline } from './wrap.ts';
import { fwMap, fwRegions, fwSystemTable, E820_USABLE, E820_RESERVED } from './fwefi.ts';
import { dtConsole, dtConsoleNode, dtConsoleProp, dtConsoleApply } from './dtconsole.ts';

const MAX_DEPTH: u64 = 16n;
/** The root node is depth 1: its children (/chosen, /memory@…) depth 2. */
const ROOT: u64 = 1n;
const TOP: u64 = 2n;
const MAX_RESERVATIONS: u64 = 64n;
/** #address-cells and #size-cells of the node at each depth (properties come before children). */
const ADDR_CELLS = zeroed(136n, 8n);
const SIZE_CELLS = zeroed(136n, 8n);

const PASS_CHOSEN: u64 = 1n;
const PASS_MEMORY: u64 = 2n;
const PASS_CONSOLE: u64 = 3n;
const OTHER: u64 = 0n;
const MEMORY: u64 = 1n;
const CHOSEN: u64 = 2n;
const RESERVED_MEMORY: u64 = 3n;
const PSCI: u64 = 4n;
const ALIASES: u64 = 5n;

const N_MEMORY = ascii('memory');
const N_CHOSEN = ascii('chosen');
const N_RESERVED = ascii('reserved-memory');
const N_PSCI = ascii('psci');
const N_ALIASES = ascii('aliases');
const P_ADDR_CELLS = ascii('#address-cells');
const P_SIZE_CELLS = ascii('#size-cells');
const P_REG = ascii('reg');
const P_METHOD = ascii('method');
const P_BOOTARGS = ascii('bootargs');
const P_INITRD_START = ascii('linux,initrd-start');
const P_INITRD_END = ascii('linux,initrd-end');
const P_KASLR_SEED = ascii('kaslr-seed');
const P_RNG_SEED = ascii('rng-seed');
const P_SYSTAB = ascii('linux,uefi-system-table');
const P_MMAP = ascii('linux,uefi-mmap-start');
const P_MMAP_SIZE = ascii('linux,uefi-mmap-size');
const P_MMAP_DESC = ascii('linux,uefi-mmap-desc-size');
const P_MMAP_VER = ascii('linux,uefi-mmap-desc-ver');
const P_SECURE = ascii('linux,uefi-secure-boot');
const SECURE_BOOT_ENABLED: u64 = 3n;
const P_USABLE = ascii('linux,usable-memory-range');
const P_COREHDR = ascii('linux,elfcorehdr');
const P_STDOUT = ascii('stdout-path');
const V_HVC = ascii('hvc');
const V_SMC = ascii('smc');

const E_DEPTH = ascii('DT: nodes nested deeper than the reader follows, at');
const E_NO_MEMORY = ascii('DT: no usable memory (no memory nodes, no linux,uefi-mmap-*, no linux,usable-memory-range) in the DTB at');

let pass: u64 = 0n;
let depth: u64 = 0n;
let top: u64 = OTHER;
let passCmdline: u64 = 1n;
let initrdStart: u64 = 0n;
let initrdEnd: u64 = 0n;
let systab: u64 = 0n;
let mmap: u64 = 0n;
let mmapSize: u64 = 0n;
let mmapDesc: u64 = 0n;
let usable: ptr = 0n;
let usableLen: u64 = 0n;
let stdout: ptr = 0n;
let aliases: ptr = 0n;
let memoryNodes: u64 = 0n;

/** Reads the tree at `dtb` for the wrapped image at `base`; returns the handoff block. */
export function wayinDtb(dtb: ptr, base: ptr): ptr {
  const h: ptr = wrapBegin(base);
  reset();
  passCmdline = wrapPassesCmdline(base) ? 1n : 0n;
  const size: u64 = fdtOpen(dtb);
  walk(PASS_CHOSEN);
  walk(PASS_MEMORY);
  memory(dtb);
  reservations();
  if (initrdEnd > initrdStart) {
    store64(h + Handoff.initrdAddr, initrdStart);
    store64(h + Handoff.initrdSize, initrdEnd - initrdStart);
  }
  store64(h + Handoff.dtbAddr, dtb);
  store64(h + Handoff.dtbSize, size);
  fwSystemTable(systab);
  if (load32(h + Handoff.consoleKind) == 0n && stdout != 0n && dtConsole(stdout, aliases)) {
    walk(PASS_CONSOLE);
    dtConsoleApply();
  }
  // Written with the MMU off: no stale cache line may shadow them once caches are on.
  cacheClean(dtb, size);
  cacheClean(h, u64(load32(h + Handoff.size)));
  return h;
}

/** What the walks found so far: nothing (a reader may run more than once on the host). */
function reset(): void {
  initrdStart = 0n;
  initrdEnd = 0n;
  systab = 0n;
  mmap = 0n;
  mmapSize = 0n;
  mmapDesc = 0n;
  usable = 0n;
  usableLen = 0n;
  stdout = 0n;
  aliases = 0n;
  memoryNodes = 0n;
}

/** Usable RAM: linux,usable-memory-range wins (a crash kernel), then memory nodes, then the UEFI map. */
function memory(dtb: ptr): void {
  if (mmap != 0n) fwMap(mmap, mmapSize, mmapDesc);
  const ac: u32 = load32(ADDR_CELLS + ROOT * 8n);
  const sc: u32 = load32(SIZE_CELLS + ROOT * 8n);
  if (usable != 0n) regs(usable, usableLen / ((u64(ac) + u64(sc)) * 4n), ac, sc, E820_USABLE, 0n);
  if (memoryNodes == 0n && mmap != 0n) fwRegions(usable == 0n);
  if (usable == 0n && memoryNodes == 0n && mmap == 0n) fail(E_NO_MEMORY, dtb);
}

/** The reservation block: ranges the firmware keeps for itself. */
function reservations(): void {
  let r: ptr = fdtReservations();
  for (let i: u64 = 0n; i < MAX_RESERVATIONS; i++) {
    const size: u64 = be64(r + 8n);
    if (be64(r) == 0n && size == 0n) return;
    hbRegion(be64(r), size, E820_RESERVED, 0n);
    r += 16n;
  }
}

/** Adds `n` (address, size) pairs at `p` of `ac`/`sc` cells each. */
function regs(p: ptr, n: u64, ac: u32, sc: u32, type: u32, flags: u32): void {
  const stride: u64 = (u64(ac) + u64(sc)) * 4n;
  for (let i: u64 = 0n; i < n; i++) {
    const e: ptr = p + i * stride;
    hbRegion(cells(e, u64(ac)), cells(e + u64(ac) * 4n, u64(sc)), type, flags);
  }
}

/** One walk over the structure block; the token pointer only moves forward. */
function walk(which: u64): void {
  pass = which;
  depth = 0n;
  let t: ptr = fdtFirst();
  let tok: u32 = fdtToken(t);
  while (tok != FDT_END) {
    if (tok == FDT_BEGIN_NODE) t = begin(t);
    else if (tok == FDT_PROP) t = prop(t);
    else if (tok == FDT_END_NODE && depth > 0n) {
      depth--;
      t += 4n;
    } else if (tok == FDT_NOP) t += 4n;
    else fdtToken(0n); // fails: not a token
    tok = fdtToken(t);
  }
}

function begin(t: ptr): ptr {
  depth++;
  if (depth > MAX_DEPTH) fail(E_DEPTH, t);
  store32(ADDR_CELLS + depth * 8n, 2n);
  store32(SIZE_CELLS + depth * 8n, 1n);
  const name: ptr = nodeName(t);
  if (depth == TOP) top = kind(name);
  if (pass == PASS_CONSOLE) dtConsoleNode(name, depth);
  return nodeNext(t);
}

function kind(name: ptr): u64 {
  if (nameIs(name, N_MEMORY)) return MEMORY;
  if (strEq(name, N_CHOSEN)) return CHOSEN;
  if (strEq(name, N_RESERVED)) return RESERVED_MEMORY;
  if (strEq(name, N_PSCI)) return PSCI;
  if (strEq(name, N_ALIASES)) return ALIASES;
  return OTHER;
}

/** Handles the property at `t` for this pass; returns the next token. */
function prop(t: ptr): ptr {
  const next: ptr = propNext(t);
  const name: ptr = propName(t);
  const v: ptr = propValue(t);
  const len: u64 = propLen(t);
  if (strEq(name, P_ADDR_CELLS) && len == 4n) store32(ADDR_CELLS + depth * 8n, be32(v));
  if (strEq(name, P_SIZE_CELLS) && len == 4n) store32(SIZE_CELLS + depth * 8n, be32(v));
  if (pass == PASS_CHOSEN && depth == TOP) topProp(t, name, v, len);
  if (pass == PASS_MEMORY && strEq(name, P_REG)) regProp(v, len);
  if (pass == PASS_CONSOLE) dtConsoleProp(name, v, len, depth, parentCells(ADDR_CELLS), parentCells(SIZE_CELLS));
  return next;
}

function topProp(t: ptr, name: ptr, v: ptr, len: u64): void {
  if (top == CHOSEN) chosenProp(t, name, v, len);
  if (top == PSCI && strEq(name, P_METHOD)) psci(v);
  if (top == ALIASES && aliases == 0n) aliases = t;
}

function psci(v: ptr): void {
  if (strEq(v, V_HVC)) store32(hbBlock() + Handoff.psci, 1n);
  if (strEq(v, V_SMC)) store32(hbBlock() + Handoff.psci, 2n);
}

function parentCells(table: ptr): u64 {
  return u64(load32(table + (depth - 1n) * 8n));
}

/** `reg` of a memory node (RAM) or of a /reserved-memory child (reserved). */
function regProp(v: ptr, len: u64): void {
  const ac: u32 = u32(parentCells(ADDR_CELLS));
  const sc: u32 = u32(parentCells(SIZE_CELLS));
  const n: u64 = len / ((u64(ac) + u64(sc)) * 4n);
  if (top == MEMORY && depth == TOP) {
    memoryNodes++;
    if (usable == 0n) regs(v, n, ac, sc, E820_USABLE, 0n);
  }
  if (top == RESERVED_MEMORY && depth == TOP + 1n) regs(v, n, ac, sc, E820_RESERVED, 0n);
}

/** /chosen: what it says, then the properties the EFI stub rewrites are deleted. */
function chosenProp(t: ptr, name: ptr, v: ptr, len: u64): void {
  const n: u64 = len / 4n;
  if (strEq(name, P_USABLE)) { usable = v; usableLen = len; }
  if (strEq(name, P_STDOUT)) stdout = v;
  if (strEq(name, P_COREHDR)) regs(v, 1n, load32(ADDR_CELLS + ROOT * 8n), load32(SIZE_CELLS + ROOT * 8n), E820_USABLE, REGION_TAKEN);
  if (strEq(name, P_BOOTARGS)) bootargs(t, v, len);
  else if (strEq(name, P_INITRD_START)) { initrdStart = cells(v, n); propDelete(t); }
  else if (strEq(name, P_INITRD_END)) { initrdEnd = cells(v, n); propDelete(t); }
  else if (strEq(name, P_KASLR_SEED) || strEq(name, P_RNG_SEED)) { hbSeed(v, len); propDelete(t); }
  else if (strEq(name, P_SYSTAB)) { systab = cells(v, n); propDelete(t); }
  else if (strEq(name, P_MMAP)) { mmap = cells(v, n); propDelete(t); }
  else if (strEq(name, P_MMAP_SIZE)) { mmapSize = cells(v, n); propDelete(t); }
  else if (strEq(name, P_MMAP_DESC)) { mmapDesc = cells(v, n); propDelete(t); }
  else if (strEq(name, P_SECURE)) { secureBoot(cells(v, n)); propDelete(t); }
  else if (strEq(name, P_MMAP_VER)) propDelete(t);
}

/** The EFI stub's record of the first boot's Secure Boot state (efi_secureboot_mode, 3 = enabled). */
function secureBoot(mode: u64): void {
  if (mode == SECURE_BOOT_ENABLED) store64(hbBlock() + Handoff.flags, HANDOFF_FLAG_PLATFORM_SECURE_BOOT);
}

/** The command line, unless the payload's own wins; the stub writes bootargs anew either way. */
function bootargs(t: ptr, v: ptr, len: u64): void {
  let n: u64 = 0n;
  while (n < len && load8(v + n) != 0n) n++;
  if (passCmdline != 0n) hbCmdline(v, n);
  propDelete(t);
}
