// The segment planner: places the kernel image, initrd, DTB, handoff block and blob in
// usable RAM the way kexec_load wants them (page-aligned, non-overlapping, at most 16)
// and fills the blob's handoff slot.
import { randomBytes } from 'node:crypto';
import { GenError } from '../errors.ts';
import type { Target } from '../targets/target.ts';
import type { BlobHeader } from '../blob/header.ts';
import type { ConsoleChoice } from './console.ts';
import { RegionType, sortRegions, formatRegion, type MemRegion } from './memory.ts';
import { parsePe, type PeInfo } from '../formats/pe.ts';
import { buildHandoff, handoffSize, DEFAULT_REGION_MAX, type HandoffInput, type Range } from './handoff.ts';

export const KEXEC_SEGMENT_MAX = 16;

export type SegmentName = 'image' | 'initrd' | 'dtb' | 'handoff' | 'blob';

export interface Segment {
  name: SegmentName;
  addr: bigint;
  /** Bytes kexec copies; memsz beyond them is zero-filled. */
  data: Uint8Array;
  memsz: bigint;
  /** Where the bytes came from, for messages and QEMU's loader. */
  source?: string;
}

export interface Payload {
  data: Uint8Array;
  file: string;
}

export interface PlanInput {
  target: Target;
  blob: Uint8Array;
  blobHeader: BlobHeader;
  image: Payload;
  initrd?: Payload;
  dtb?: Payload;
  cmdline: string;
  regions: MemRegion[];
  console?: ConsoleChoice;
  psci?: 'hvc' | 'smc';
  acpiRsdp?: bigint;
  /** Ranges the machine keeps for itself although they are usable RAM. */
  avoid?: Range[];
  /** Place the blob exactly here (tests prove position independence with it). */
  blobAddr?: bigint;
  /** Fixed RNG seed; random otherwise. */
  rngSeed?: Uint8Array;
}

export interface Plan {
  arch: string;
  entry: bigint;
  handoffAddr: bigint;
  segments: Segment[];
  regions: MemRegion[];
}

const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;
const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Free usable RAM, kept as sorted [start, end) ranges and carved as segments land. */
class FreeSpace {
  private ranges: [bigint, bigint][];
  constructor(regions: MemRegion[], avoid: Range[]) {
    const sorted = sortRegions(regions);
    this.ranges = sorted.filter((r) => r.type === RegionType.Usable).map((r) => [r.base, r.base + r.size]);
    // A map may list a reservation inside usable RAM (DT /memreserve/); it wins.
    for (const r of sorted.filter((x) => x.type !== RegionType.Usable)) this.take(r.base, r.base + r.size);
    for (const a of avoid) this.take(a.addr, a.addr + a.size);
  }
  /** Removes [start, end) from the free ranges. */
  take(start: bigint, end: bigint): void {
    this.ranges = this.ranges.flatMap(([s, e]): [bigint, bigint][] => {
      if (end <= s || start >= e) return [[s, e]];
      return [[s, start], [end, e]].filter(([a, b]) => b > a) as [bigint, bigint][];
    });
  }
  contains(start: bigint, end: bigint): boolean {
    return this.ranges.some(([s, e]) => start >= s && end <= e);
  }
  /** Lowest address with `size` free bytes at `align`. */
  find(size: bigint, align: bigint): bigint | undefined {
    for (const [s, e] of this.ranges) {
      const at = alignUp(s, align);
      if (at + size <= e) return at;
    }
    return undefined;
  }
}

function place(free: FreeSpace, name: SegmentName, memsz: bigint, align: bigint, fixed?: bigint): bigint {
  if (fixed !== undefined) {
    if (fixed % align !== 0n) throw new GenError(`plan: ${name} address ${hex(fixed)} is not aligned to ${hex(align)}`);
    if (!free.contains(fixed, fixed + memsz)) throw new GenError(`plan: ${name} at ${hex(fixed)}+${hex(memsz)} is not inside free usable RAM`);
    free.take(fixed, fixed + memsz);
    return fixed;
  }
  const at = free.find(memsz, align);
  if (at === undefined) throw new GenError(`plan: no room for the ${name} (${hex(memsz)} bytes, aligned to ${hex(align)}) in usable RAM`);
  free.take(at, at + memsz);
  return at;
}

/**
 * The image segment's memory: a PE image gets SizeOfImage at its SectionAlignment, so
 * the blob can load it where it lies instead of copying it (sections at their file
 * offsets, as the arm64 Image and zboot lay them out); anything else its file.
 */
function imageExtent(image: Payload, align: bigint, page: bigint): { memsz: bigint; align: bigint } {
  const file = alignUp(BigInt(image.data.length), page);
  let pe: PeInfo;
  try {
    pe = parsePe(image.data, image.file);
  } catch {
    return { memsz: file, align };
  }
  const sectionAlign = BigInt(pe.sectionAlignment);
  const memsz = alignUp(BigInt(pe.sizeOfImage), page);
  return { memsz: memsz > file ? memsz : file, align: sectionAlign > align ? sectionAlign : align };
}

function patchSlot(blob: Uint8Array, h: BlobHeader, handoff: bigint): Uint8Array {
  const out = Uint8Array.from(blob);
  new DataView(out.buffer).setBigUint64(h.handoffSlotOffset, handoff, true);
  return out;
}

export function planSegments(p: PlanInput): Plan {
  if (!p.regions.some((r) => r.type === RegionType.Usable)) throw new GenError('plan: the memory map has no usable RAM');
  const page = BigInt(p.target.pageSize);
  const floor: Range = { addr: 0n, size: BigInt(p.target.planFloor) };
  const free = new FreeSpace(p.regions, [floor, ...(p.avoid ?? [])]);
  const blobMem = alignUp(BigInt(p.blobHeader.memSize), page);
  const blobAlign = BigInt(Math.max(p.blobHeader.align, p.target.pageSize));
  const fixedBlob = p.blobAddr !== undefined ? place(free, 'blob', blobMem, blobAlign, p.blobAddr) : undefined;
  const seg = (name: SegmentName, pl: Payload, align: bigint): Segment => {
    const memsz = alignUp(BigInt(pl.data.length), page);
    return { name, addr: place(free, name, memsz, align), data: pl.data, memsz, source: pl.file };
  };
  const img = imageExtent(p.image, BigInt(p.target.imageAlign), page);
  const imageAddr = place(free, 'image', img.memsz, img.align);
  const segments: Segment[] = [{ name: 'image', addr: imageAddr, data: p.image.data, memsz: img.memsz, source: p.image.file }];
  if (p.initrd) segments.push(seg('initrd', p.initrd, page));
  if (p.dtb) segments.push(seg('dtb', p.dtb, page));
  const range = (s: Segment | undefined): Range | undefined => (s ? { addr: s.addr, size: BigInt(s.data.length) } : undefined);
  const find = (n: SegmentName): Segment | undefined => segments.find((s) => s.name === n);
  const input: HandoffInput = {
    image: range(find('image')) as Range, imagePages: Number(img.memsz / 0x1000n), initrd: range(find('initrd')), dtb: range(find('dtb')),
    cmdline: p.cmdline, console: p.console, psci: p.psci, acpiRsdp: p.acpiRsdp,
    rngSeed: p.rngSeed ?? randomBytes(32), regions: sortRegions(p.regions), regionMax: Math.max(DEFAULT_REGION_MAX, p.regions.length), digests: [],
  };
  const hmem = alignUp(BigInt(handoffSize(input)), page);
  const handoffAddr = place(free, 'handoff', hmem, page);
  segments.push({ name: 'handoff', addr: handoffAddr, data: buildHandoff(handoffAddr, input), memsz: hmem });
  const blobAddr = fixedBlob ?? place(free, 'blob', blobMem, blobAlign);
  segments.push({ name: 'blob', addr: blobAddr, data: patchSlot(p.blob, p.blobHeader, handoffAddr), memsz: blobMem });
  if (segments.length > KEXEC_SEGMENT_MAX) throw new GenError(`plan: ${segments.length} segments, kexec_load takes at most ${KEXEC_SEGMENT_MAX}`);
  return { arch: p.target.name, entry: blobAddr + BigInt(p.blobHeader.entryOffset), handoffAddr, segments, regions: input.regions };
}

/** A readable table of the plan. */
export function formatPlan(plan: Plan): string {
  const rows = plan.segments.map((s) =>
    `  ${s.name.padEnd(8)} ${hex(s.addr).padStart(12)}  memsz ${hex(s.memsz).padStart(10)}  bufsz ${hex(BigInt(s.data.length)).padStart(10)}  ${s.source ?? ''}`.trimEnd());
  return [
    `arch ${plan.arch}, entry ${hex(plan.entry)}, handoff block ${hex(plan.handoffAddr)}`,
    'segments:', ...rows,
    'memory map:', ...plan.regions.map((r) => `  ${formatRegion(r)}`),
  ].join('\n') + '\n';
}
