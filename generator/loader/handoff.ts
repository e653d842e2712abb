// Builds the handoff block (docs/handoff.md): everything the blob knows about the
// machine and the boot, at an address the planner chose.
import { writeConsole, HANDOFF_MAGIC, HANDOFF_VERSION, HO, PSCI, REGION_SIZE, DIGEST_SIZE, RNG_SEED_SIZE } from './layout.ts';
import type { ConsoleChoice } from './console.ts';
import type { MemRegion } from './memory.ts';

export interface Range {
  addr: bigint;
  size: bigint;
}

/** A payload check (docs/handoff.md): FNV-1a-64 over the range's 64-bit words. */
export interface Digest extends Range {
  fnv: bigint;
}

export interface HandoffInput {
  image: Range;
  /** 4 KiB pages of memory the image segment owns from its address (0: only its file). */
  imagePages?: number;
  initrd?: Range;
  dtb?: Range;
  cmdline: string;
  acpiRsdp?: bigint;
  smbios?: bigint;
  console?: ConsoleChoice;
  psci?: 'hvc' | 'smc';
  rngSeed: Uint8Array;
  regions: MemRegion[];
  /** Room for this many regions, so a loader-side shim can write the real map. */
  regionMax: number;
  digests: Digest[];
}

/** Room kept for region lists: the e820 table of the zero page holds 128. */
export const DEFAULT_REGION_MAX = 128;

const align8 = (n: number): number => (n + 7) & ~7;

/** Offsets of the variable parts, after the fixed header. */
function parts(input: HandoffInput): { regions: number; digests: number; cmdline: number; size: number } {
  const regions = HO.FIXED_SIZE;
  const digests = regions + REGION_SIZE * input.regionMax;
  const cmdline = digests + DIGEST_SIZE * input.digests.length;
  const size = align8(cmdline + Buffer.byteLength(input.cmdline, 'utf8') + 1);
  return { regions, digests, cmdline, size };
}

export function handoffSize(input: HandoffInput): number {
  return parts(input).size;
}

function putRange(dv: DataView, at: number, r: Range | undefined): void {
  dv.setBigUint64(at, r?.addr ?? 0n, true);
  dv.setBigUint64(at + 8, r?.size ?? 0n, true);
}

function putConsole(dv: DataView, c: ConsoleChoice | undefined): void {
  writeConsole(dv, HO.CONSOLE, c); // none given: the blob keeps its built-in console
}

/** Lays the block out for physical address `addr` (the command line points into it). */
export function buildHandoff(addr: bigint, input: HandoffInput): Uint8Array {
  if (input.regions.length > input.regionMax) throw new Error('more regions than regionMax');
  const p = parts(input);
  const out = new Uint8Array(p.size);
  const dv = new DataView(out.buffer);
  const cmd = Buffer.from(input.cmdline, 'utf8');
  dv.setBigUint64(HO.MAGIC, HANDOFF_MAGIC, true);
  dv.setUint32(HO.VERSION, HANDOFF_VERSION, true);
  dv.setUint32(HO.SIZE, p.size, true);
  putRange(dv, HO.IMAGE_ADDR, input.image);
  putRange(dv, HO.INITRD_ADDR, input.initrd);
  putRange(dv, HO.DTB_ADDR, input.dtb);
  putRange(dv, HO.CMDLINE_ADDR, { addr: addr + BigInt(p.cmdline), size: BigInt(cmd.length) });
  dv.setBigUint64(HO.ACPI_RSDP, input.acpiRsdp ?? 0n, true);
  dv.setBigUint64(HO.SMBIOS, input.smbios ?? 0n, true);
  putConsole(dv, input.console);
  dv.setUint32(HO.PSCI, input.psci ? PSCI[input.psci] : PSCI.none, true);
  dv.setUint32(HO.IMAGE_PAGES, input.imagePages ?? 0, true);
  out.set(input.rngSeed.subarray(0, RNG_SEED_SIZE), HO.RNG_SEED);
  dv.setUint32(HO.REGION_COUNT, input.regions.length, true);
  dv.setUint32(HO.REGION_MAX, input.regionMax, true);
  dv.setBigUint64(HO.REGIONS_OFFSET, BigInt(p.regions), true);
  input.regions.forEach((r, i) => {
    const at = p.regions + REGION_SIZE * i;
    dv.setBigUint64(at, r.base, true);
    dv.setBigUint64(at + 8, r.size, true);
    dv.setUint32(at + 16, r.type, true);
    dv.setUint32(at + 20, r.flags ?? 0, true);
  });
  dv.setUint32(HO.DIGEST_COUNT, input.digests.length, true);
  dv.setBigUint64(HO.DIGESTS_OFFSET, BigInt(p.digests), true);
  input.digests.forEach((d, i) => {
    const at = p.digests + DIGEST_SIZE * i;
    putRange(dv, at, d);
    dv.setBigUint64(at + 16, d.fnv, true);
  });
  out.set(cmd, p.cmdline); // NUL follows: the block is zero-filled
  return out;
}
