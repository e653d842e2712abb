// e820 memory maps for `plan --e820 FILE`, in the two text forms a user can get from a
// running x86 machine:
//   dmesg:  "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"
//   sysfs:  "0x0 0x9fbff System RAM"  (one /sys/firmware/memmap/N entry: start end type)
// Both give inclusive ends. A file with any BIOS-e820 line is read as a kernel log and
// its other lines are skipped, so a whole `dmesg` dump works; otherwise every line must be
// a sysfs-style entry, so typos do not pass silently.
import { readFileSync } from 'node:fs';
import { GenError } from '../errors.ts';
import {
  firstOverlap,
  formatRegion,
  RegionType,
  regionTypeFromE820,
  sortRegions,
  type MemRegion,
} from '../loader/memory.ts';

const U64_MAX = 0xffff_ffff_ffff_ffffn;

// Type names as Linux prints them (arch/x86/kernel/e820.c e820_print_type()); numbers
// follow in "persistent (type N)" and "type N".
const DMESG_TYPES: Record<string, RegionType> = {
  usable: RegionType.Usable,
  reserved: RegionType.Reserved,
  'soft reserved': RegionType.Reserved,
  'acpi data': RegionType.AcpiReclaim,
  'acpi nvs': RegionType.AcpiNvs,
  unusable: RegionType.Unusable,
};

// Type names of /sys/firmware/memmap/N/type (e820_type_to_string()).
const SYSFS_TYPES: Record<string, RegionType> = {
  'system ram': RegionType.Usable,
  reserved: RegionType.Reserved,
  'soft reserved': RegionType.Reserved,
  'acpi tables': RegionType.AcpiReclaim,
  'acpi non-volatile storage': RegionType.AcpiNvs,
  'unusable memory': RegionType.Unusable,
  'persistent memory': RegionType.Persistent,
  'persistent memory (legacy)': RegionType.Persistent,
  'unknown e820 type': RegionType.Reserved,
};

const DMESG_LINE = /BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (.+)$/i;
const SYSFS_LINE = /^(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(.+)$/i;

/** A region and the line it came from, for overlap messages. */
interface Parsed {
  region: MemRegion;
  line: number;
}

function typeFromText(text: string, names: Record<string, RegionType>): RegionType | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t in names) return names[t];
  const numbered = /^(?:persistent \(type ([0-9]+)\)|type ([0-9]+)|([0-9]+))$/.exec(t);
  if (numbered === null) return undefined;
  return regionTypeFromE820(Number(numbered[1] ?? numbered[2] ?? numbered[3]));
}

function region(where: string, start: string, end: string, type: RegionType | undefined, typeText: string): MemRegion {
  const base = BigInt(start);
  const last = BigInt(end);
  if (type === undefined) throw new GenError(`${where}: unknown e820 type ${JSON.stringify(typeText.trim())}`);
  if (last > U64_MAX) throw new GenError(`${where}: end ${end} is beyond 64 bits`);
  if (last < base) throw new GenError(`${where}: end ${end} is below start ${start}`);
  return { base, size: last - base + 1n, type };
}

/** A kernel-log line: a region if it is a BIOS-e820 entry, else undefined. */
function parseDmesgLine(where: string, line: string): MemRegion | undefined {
  if (!line.includes('BIOS-e820')) return undefined;
  const d = DMESG_LINE.exec(line.trim());
  if (d === null) {
    throw new GenError(`${where}: cannot read this BIOS-e820 line; expected "BIOS-e820: [mem 0xSTART-0xEND] TYPE"`);
  }
  return region(where, d[1], d[2], typeFromText(d[3], DMESG_TYPES), d[3]);
}

/** A sysfs-style line: a region, or undefined for blank and '#' comment lines. */
function parseSysfsLine(where: string, raw: string): MemRegion | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const s = SYSFS_LINE.exec(line);
  if (s === null) {
    throw new GenError(
      `${where}: not an e820 entry; expected "0xSTART 0xEND System RAM" (/sys/firmware/memmap) or a dmesg "BIOS-e820: [mem 0xSTART-0xEND] usable" line`,
    );
  }
  return region(where, s[1], s[2], typeFromText(s[3], SYSFS_TYPES), s[3]);
}

/**
 * Parses an e820 map; `file` names it in errors ("FILE:LINE: …"). The result is sorted
 * by base; overlapping entries and a map with no entries are errors.
 */
export function parseE820(text: string, file: string): MemRegion[] {
  const parsed: Parsed[] = [];
  const parseLine = text.includes('BIOS-e820') ? parseDmesgLine : parseSysfsLine;
  text.split(/\r?\n/).forEach((raw, i) => {
    const r = parseLine(`${file}:${i + 1}`, raw);
    if (r !== undefined) parsed.push({ region: r, line: i + 1 });
  });
  if (parsed.length === 0) throw new GenError(`${file}: no e820 entries found`);
  const lineOf = new Map(parsed.map((p) => [p.region, p.line]));
  const sorted = sortRegions(parsed.map((p) => p.region));
  const clash = firstOverlap(sorted);
  if (clash !== undefined) {
    const [a, b] = clash.map((i) => sorted[i]);
    throw new GenError(
      `${file}:${lineOf.get(b)}: ${formatRegion(b)} overlaps ${formatRegion(a)} from line ${lineOf.get(a)}`,
    );
  }
  return sorted;
}

/** Reads and parses an e820 text file. */
export function readE820(path: string): MemRegion[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GenError(`${path}: cannot read: ${(e as Error).message}`);
  }
  return parseE820(text, path);
}
