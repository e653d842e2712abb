// QEMU q35 (SeaBIOS) started in the state Linux's x86_64 kexec_load leaves: QEMU's
// generic loader puts the segments into RAM, and a small Multiboot shim of ours
// (stubs-asm/shim/x86_64-multiboot.s), loaded by QEMU's -kernel, checks them against
// the machine's real e820 map, writes that map into the handoff block, switches to long
// mode on an identity map and enters the blob the way relocate_kernel_64.S does.
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenError, UsageError } from '../errors.ts';
import { packagePath } from '../paths.ts';
import { assemble, type SourceLine } from '../toolchain/assembler.ts';
import { asmFile, asmText, checkNumbers } from '../blob/source.ts';
import { regionTypeFromE820 } from '../loader/memory.ts';
import type { Plan } from '../loader/plan.ts';
import type { MachineFacts, MachineOptions, QemuCommandLine, QemuMachine } from './machine.ts';

export interface ShimSegment { addr: bigint; size: bigint; file: string }

export interface X86BootRequest {
  segments: ShimSegment[];
  entry: bigint;
  handoffAddr: bigint;
  memoryBytes: number;
  workDir: string;
  /** QEMU accelerator; QEMU's own default (tcg) when absent, as the direct-boot baseline. */
  accel?: 'tcg' | 'kvm';
  /** Enter the blob with 5-level paging (CR4.LA57); the CPU model gets la57. */
  la57?: boolean;
}

export const SHIM_SOURCE: string = packagePath('stubs-asm', 'shim', 'x86_64-multiboot.s');
const SHIM_DISPLAY = 'stubs-asm/shim/x86_64-multiboot.s';
/** COM1 output, shared with the shim tests' payload. */
export const COM1_SOURCE: string = packagePath('stubs-asm', 'shim', 'com1.s');
const COM1_DISPLAY = 'stubs-asm/shim/com1.s';
/** Where QEMU's Multiboot loader puts the shim (the a.out-kludge load address). */
export const SHIM_LOAD_ADDR = 0x10_0000n;
/** Below this the shim, its page tables and QEMU's Multiboot data live: no segments. */
export const SEGMENT_FLOOR = 0x100_0000n;
/** QEMU's exit status when the shim fails: isa-debug-exit turns 0x7f into (0x7f << 1) | 1. */
export const X86_SHIM_FAILURE_STATUS = 0xff;
/** QEMU's exit status when the blob switches off through isa-debug-exit (0x10, stubs-asm/x86_64/power.s). */
export const BLOB_POWEROFF_STATUS = 0x21;
/** Fixed header of the handoff block the shim writes into (region_count .. regions_offset). */
const HANDOFF_FIXED = 0xd0n;

const MiB = 0x10_0000n;
const GiB = 0x4000_0000n;
const FOUR_GIB = 0x1_0000_0000n;
const USABLE = 1;

/** q35's split of RAM around the PCI hole: all below 4 GiB, or 2 GiB low and the rest at 4 GiB. */
function q35Split(memoryBytes: number): { low: bigint; high: bigint } {
  if (!Number.isSafeInteger(memoryBytes) || memoryBytes % 0x10_0000 !== 0 || memoryBytes < 0x400_0000) {
    throw new UsageError(`q35 memory must be a whole number of MiB and at least 64 MiB, not ${memoryBytes} bytes`);
  }
  const ram = BigInt(memoryBytes);
  const lowLimit = ram >= 0xb000_0000n ? 0x8000_0000n : 0xb000_0000n; // QEMU pc_q35.c
  const low = ram < lowLimit ? ram : lowLimit;
  return { low, high: ram - low };
}

/**
 * A model of q35+SeaBIOS's e820 for `memoryBytes` of RAM, for planning before boot.
 * SeaBIOS keeps the top 16 MiB of low RAM as a temporary zone during POST (and relocates
 * its init code just below it) but reports most of it usable afterwards, so the model
 * stops 20 MiB short of the top of low RAM. The shim replaces this with the real map.
 */
export function q35MemoryModel(memoryBytes: number): { base: bigint; size: bigint; type: number }[] {
  const { low, high } = q35Split(memoryBytes);
  const end = (low - 20n * MiB) & ~(2n * MiB - 1n);
  const regions = [{ base: MiB, size: end - MiB, type: USABLE }];
  if (high > 0n) regions.push({ base: FOUR_GIB, size: high, type: USABLE });
  return regions;
}

/** GiB of identity map the shim builds: all of the low 4 GiB and any RAM above. */
function mappedGiB(memoryBytes: number): bigint {
  const { high } = q35Split(memoryBytes);
  const top = FOUR_GIB + high;
  const pages = (top + GiB - 1n) / GiB;
  if (pages > 0x200n) throw new UsageError('q35 memory above 508 GiB does not fit the shim\'s one PDPT');
  return pages;
}

/** The shim's segment checksum: h = rol32(h, 5) + w over u32 words, then over the tail bytes. */
export function shimChecksum(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = bytes.length & ~3;
  let h = 0;
  for (let i = 0; i < words; i += 4) h = (((h << 5) | (h >>> 27)) + dv.getUint32(i, true)) >>> 0;
  for (let i = words; i < bytes.length; i++) h = (((h << 5) | (h >>> 27)) + bytes[i]) >>> 0;
  return h;
}

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;
const inside = (a: bigint, size: bigint, s: { addr: bigint; end: bigint }): boolean => a >= s.addr && a + size <= s.end;

interface LoadedSegment extends ShimSegment { fileSize: bigint; checksum: number }

function readSegment(s: ShimSegment): LoadedSegment {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(s.file);
  } catch (err) {
    throw new GenError(`${s.file}: cannot read segment file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fileSize = BigInt(bytes.length);
  const at = `segment ${hex(s.addr)} +${hex(s.size)} (${s.file})`;
  if (fileSize > s.size) throw new GenError(`${at}: the file is ${hex(fileSize)} bytes, larger than the segment`);
  if (s.addr < SEGMENT_FLOOR) throw new GenError(`${at}: below ${hex(SEGMENT_FLOOR)}, where the q35 shim and Multiboot data live`);
  if (s.addr + s.size > 1n << 64n) throw new GenError(`${at}: ends beyond the 64-bit address space`);
  return { ...s, fileSize, checksum: shimChecksum(bytes) };
}

/** Reads every segment and checks what the shim cannot: overlaps, entry and handoff placement. */
function loadSegments(req: X86BootRequest): LoadedSegment[] {
  const segs = req.segments.map(readSegment).sort((a, b) => (a.addr < b.addr ? -1 : 1));
  for (let i = 1; i < segs.length; i++) {
    if (segs[i].addr < segs[i - 1].addr + segs[i - 1].size) {
      throw new GenError(`segments ${hex(segs[i - 1].addr)} +${hex(segs[i - 1].size)} and ${hex(segs[i].addr)} overlap`);
    }
  }
  const loaded = segs.map((s) => ({ addr: s.addr, end: s.addr + s.fileSize }));
  if (!loaded.some((s) => inside(req.entry, 1n, s))) throw new GenError(`entry ${hex(req.entry)} is not inside any segment's file`);
  if (!loaded.some((s) => inside(req.handoffAddr, HANDOFF_FIXED, s))) {
    throw new GenError(`handoff block ${hex(req.handoffAddr)} is not inside any segment's file`);
  }
  return segs;
}

/** The shim's whole assembly unit: build-time equates, the shim, the segment table. */
export function x86ShimUnit(req: X86BootRequest): SourceLine[] {
  const segs = loadSegments(req);
  const gib = mappedGiB(req.memoryBytes);
  const equates: [string, bigint][] = [
    ['PD_PAGES', gib], ['MAP_LIMIT', gib * GiB], ['ENTRY', req.entry],
    ['HANDOFF', req.handoffAddr], ['SEG_COUNT', BigInt(segs.length)], ['LA57', req.la57 ? 1n : 0n],
  ];
  const table = segs.map((s) => `        .quad   ${hex(s.addr)}, ${hex(s.size)}, ${hex(s.fileSize)}, ${hex(s.checksum)}`);
  const shim = [...asmFile(SHIM_SOURCE, SHIM_DISPLAY), ...asmFile(COM1_SOURCE, COM1_DISPLAY)];
  checkNumbers(shim);
  return [
    ...asmText('<shim equates>', equates.map(([name, v]) => `        .equ    ${name}, ${hex(v)}`).join('\n')),
    ...shim,
    ...asmText('<shim segments>', ['        .balign 0x8, 0x0', 'seg_table:', ...table, '        .balign 0x1000, 0x0', 'image_end:'].join('\n')),
  ];
}

/** Checks the assembled image is what QEMU's Multiboot loader will accept as ours. */
function checkImage(bin: Uint8Array): void {
  const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  if (dv.getUint32(0, true) !== 0x1badb002) throw new GenError(`${SHIM_DISPLAY}: the image does not start with the Multiboot header`);
  if (bin.length > 0x206 && dv.getUint32(0x202, true) === 0x53726448) {
    throw new GenError(`${SHIM_DISPLAY}: "HdrS" at offset 0x202 would make QEMU load the shim as a Linux kernel`);
  }
  const bssEnd = BigInt(dv.getUint32(0x18, true));
  if (bssEnd > SEGMENT_FLOOR - MiB) throw new GenError(`the q35 shim ends at ${hex(bssEnd)}, too close to the segment floor`);
}

/** Assembles the shim for this boot; returns the flat Multiboot image loaded at SHIM_LOAD_ADDR. */
export async function buildX86Shim(req: X86BootRequest): Promise<Uint8Array> {
  const bin = await assemble(x86ShimUnit(req), { arch: 'X86', mode: '32', syntax: 'ATT' }, SHIM_LOAD_ADDR);
  checkImage(bin);
  return bin;
}

/** QEMU's option parser splits on commas; a literal comma is written twice. */
const qemuValue = (s: string): string => s.replaceAll(',', ',,');

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** QEMU loader devices, one per segment with a non-empty file (the shim zeroes the rest). */
function loaderArgs(segments: ShimSegment[]): string[] {
  return segments.filter((s) => statSync(s.file).size > 0).flatMap((s) => [
    '-device', `loader,file=${qemuValue(s.file)},addr=${hex(s.addr)},force-raw=on`,
  ]);
}

/**
 * Assembles the shim into workDir and returns the QEMU binary and arguments (machine,
 * memory, -nographic, serial on stdio, -no-reboot, isa-debug-exit, -kernel shim, the
 * loader devices).
 */
export async function x86QemuInvocation(req: X86BootRequest): Promise<{ binary: string; args: string[] }> {
  const bin = await buildX86Shim(req);
  const shim = join(req.workDir, 'qemu-shim.bin');
  writeFileSync(shim, bin);
  if (req.accel === 'kvm' && !kvmUsable()) throw new GenError('qemu: --accel kvm needs read/write access to /dev/kvm', 1);
  const accel = req.accel ? ['-accel', req.accel] : [];
  return {
    binary: 'qemu-system-x86_64',
    args: [
      ...machineArgs(req.memoryBytes), ...accel, ...(req.la57 ? ['-cpu', 'qemu64,+la57'] : []),
      '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
      '-kernel', shim,
      ...loaderArgs(req.segments),
    ],
  };
}

/** q35 with COM1 on stdio; -no-reboot turns a reset into an exit. */
export function machineArgs(memoryBytes: number): string[] {
  return ['-M', 'q35', '-m', `${memoryBytes / 0x10_0000}M`, '-nographic', '-no-reboot'];
}

/** The q35 machine behind `gen-purgatory qemu --arch x86_64`. */
export const machine: QemuMachine = {
  poweroffStatuses: [0, BLOB_POWEROFF_STATUS],
  failureStatuses: { [X86_SHIM_FAILURE_STATUS]: 'the QEMU shim stopped the machine (see its line above)' },
  async facts(o: MachineOptions): Promise<MachineFacts> {
    if (o.vhe) throw new UsageError('qemu: --vhe is for arm64 only');
    if (o.el2) throw new UsageError('qemu: --el2 is for arm64 only');
    return { regions: q35MemoryModel(o.memoryBytes).map((r) => ({ ...r, type: regionTypeFromE820(r.type) })), avoid: [] };
  },
  async commandLine(plan: Plan, files: Map<string, string>, o: MachineOptions): Promise<QemuCommandLine> {
    const segments = plan.segments.map((s) => ({ addr: s.addr, size: s.memsz, file: files.get(s.name) ?? '' }));
    return x86QemuInvocation({ segments, entry: plan.entry, handoffAddr: plan.handoffAddr, memoryBytes: o.memoryBytes, workDir: o.workDir, la57: o.la57 });
  },
  directBoot(kernel: string, initrd: string, append: string, memoryBytes: number): QemuCommandLine {
    return { binary: 'qemu-system-x86_64', args: [...machineArgs(memoryBytes), '-kernel', kernel, '-initrd', initrd, '-append', append] };
  },
};
