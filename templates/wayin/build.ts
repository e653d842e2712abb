// The handoff block the readers of the other ways in fill (docs/handoff.md): the same
// form our own loader builds, so the boot sequence after it exists once. It lives in
// the blob's zero-filled data, with room for the regions, one payload check and the
// command line.
import { u8, u32, u64, type ptr } from '../rt/types.ts';
import { load8, load32, store8, store32, store64, zeroed, ascii, setMem } from '../rt/intrinsics.ts';
import { Handoff } from '../handoff.ts';
import { fail } from '../fail.ts';
export { REGION_TAKEN } from '../ram.ts';

const MAGIC: u64 = 0x464f_444e_4148_5047n; // "GPHANDOF"
const VERSION: u32 = 1n;
const CAPACITY: u32 = 256n;
const REGION_SIZE: u64 = 24n; // a payload check takes 48
/** Longest command line taken, without its NUL: x86 cmdline_size and arm64 both stay below. */
export const CMDLINE_MAX: u64 = 4095n;
/** The block's parts: the fixed fields (Handoff.$size), CAPACITY regions, one check, the command line. */
const REGIONS: u64 = 0xd0n;
const DIGESTS: u64 = 0x18d0n;
const CMDLINE: u64 = 0x1900n;
const SIZE: u32 = 0x2900n;
const BLOCK = zeroed(0x2900n, 8n);


const E_FULL = ascii('handoff: more memory regions than the block holds, at');
const E_CMDLINE = ascii('handoff: command line longer than the block holds, length');

/** Starts an empty block and returns it. */
export function hbInit(): ptr {
  setMem(BLOCK, u64(SIZE), 0n); // entered once on a machine; a host test runs it many times
  store64(BLOCK + Handoff.magic, MAGIC);
  store32(BLOCK + Handoff.version, VERSION);
  store32(BLOCK + Handoff.size, SIZE);
  store32(BLOCK + Handoff.regionMax, CAPACITY);
  store64(BLOCK + Handoff.regionsOffset, REGIONS);
  store64(BLOCK + Handoff.digestsOffset, DIGESTS);
  return BLOCK;
}

/** The block being filled. */
export function hbBlock(): ptr {
  return BLOCK;
}

/** Appends a region: e820 type numbering, REGION_TAKEN or 0. */
export function hbRegion(base: u64, size: u64, type: u32, flags: u32): void {
  if (size == 0n) return;
  const n: u64 = u64(load32(BLOCK + Handoff.regionCount));
  if (n >= u64(CAPACITY)) fail(E_FULL, base);
  const r: ptr = BLOCK + REGIONS + n * REGION_SIZE;
  store64(r, base);
  store64(r + 8n, size);
  store32(r + 16n, type);
  store32(r + 20n, flags);
  store32(BLOCK + Handoff.regionCount, u32(n + 1n));
}

/** Copies the UTF-8 command line into the block (a NUL follows it). */
export function hbCmdline(src: ptr, len: u64): void {
  if (len > CMDLINE_MAX) fail(E_CMDLINE, len);
  const dst: ptr = BLOCK + CMDLINE;
  for (let i: u64 = 0n; i < len; i++) store8(dst + i, load8(src + i));
  store8(dst + len, 0n);
  store64(BLOCK + Handoff.cmdlineAddr, dst);
  store64(BLOCK + Handoff.cmdlineSize, len);
}

/** Records the payload check the boot verifies before loading the image; `trust` 0 or a trust list. */
export function hbCheck(addr: u64, size: u64, check: u64, trust: ptr): void {
  const d: ptr = BLOCK + DIGESTS;
  store64(d, addr);
  store64(d + 8n, size);
  store64(d + 16n, check);
  store64(d + 24n, trust);
  store32(BLOCK + Handoff.digestCount, 1n);
}

/** Mixes `n` bytes of entropy into the block's RNG seed, byte by byte. */
export function hbSeed(p: ptr, n: u64): void {
  const seed: ptr = BLOCK + Handoff.rng0;
  for (let i: u64 = 0n; i < n; i++) {
    const at: ptr = seed + (i & 31n);
    store8(at, u8(load8(at) ^ load8(p + i)));
  }
}

/** Copies a 32-byte console description into the block. */
export function hbConsole(con: ptr): void {
  for (let i: u64 = 0n; i < 32n; i++) store8(BLOCK + Handoff.consoleKind + i, load8(con + i));
}
