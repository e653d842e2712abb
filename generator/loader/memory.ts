// Physical memory regions as the loader sees them, whether they came from a device tree
// or an e820 map. Types use the e820 numbering because that is what the handoff block
// carries to the blob, which turns them into EFI memory descriptors.

/** e820 region types (ACPI spec "Address Range Types"); unknown types count as Reserved. */
export const RegionType = {
  Usable: 1,
  Reserved: 2,
  AcpiReclaim: 3,
  AcpiNvs: 4,
  Unusable: 5,
  Persistent: 7,
} as const;
export type RegionType = (typeof RegionType)[keyof typeof RegionType];

export interface MemRegion {
  base: bigint;
  size: bigint;
  type: RegionType;
  /** Handoff region flags (docs/handoff.md): 1 = taken, data the loader placed. */
  flags?: number;
}

const NAMES: Record<RegionType, string> = {
  1: 'usable',
  2: 'reserved',
  3: 'ACPI reclaim',
  4: 'ACPI NVS',
  5: 'unusable',
  7: 'persistent',
};

/** Human-readable name of a region type, for plans and error messages. */
export function regionTypeName(type: RegionType): string {
  return NAMES[type];
}

/** Maps a raw e820 type number to ours; types we do not model are Reserved, as the spec says. */
export function regionTypeFromE820(n: number): RegionType {
  switch (n) {
    case 1:
    case 3:
    case 4:
    case 5:
    case 7:
    case 2:
      return n;
    case 12: // legacy "persistent RAM" (PRAM), still persistent memory
      return RegionType.Persistent;
    default:
      return RegionType.Reserved;
  }
}

/** Sorts by base, then by type so that equal bases order the same on every run. */
export function sortRegions(regions: MemRegion[]): MemRegion[] {
  return [...regions].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.type - b.type));
}

/** Indexes (into the sorted list) of the first pair of overlapping regions, if any. */
export function firstOverlap(sorted: MemRegion[]): [number, number] | undefined {
  // Compare with the region reaching furthest so far, not just the previous one.
  let far = 0;
  for (let i = 1; i < sorted.length; i++) {
    const end = (r: MemRegion): bigint => r.base + r.size;
    if (sorted[i].base < end(sorted[far])) return [far, i];
    if (end(sorted[i]) > end(sorted[far])) far = i;
  }
  return undefined;
}

/** "[0x40000000-0x7fffffff] usable", inclusive end as the kernel prints it. */
export function formatRegion(r: MemRegion): string {
  const hex = (v: bigint): string => `0x${v.toString(16)}`;
  return `[${hex(r.base)}-${hex(r.base + r.size - 1n)}] ${regionTypeName(r.type)}`;
}
