// Unified Kernel Image: a systemd-stub PE whose extra sections carry the kernel
// (.linux), initrd, command line and metadata. The stub reads each section's
// VirtualSize bytes, so that is the length used here too.
import { ByteReader } from './bytes.ts';
import { sectionBytes, type PeInfo, type PeSection } from './pe.ts';
import type { ImageInfo } from './image.ts';

export const UKI_SECTIONS = [
  '.linux', '.initrd', '.cmdline', '.osrel', '.uname', '.dtb', '.splash', '.sbat', '.pcrsig', '.pcrpkey', '.ucode',
] as const;
export type UkiSectionName = (typeof UKI_SECTIONS)[number];

export interface UkiInfo {
  /** The UKI sections present, by name (the first one if a name repeats, as in multi-profile UKIs). */
  sections: Partial<Record<UkiSectionName, PeSection>>;
  /** What the .linux section holds. */
  linux: ImageInfo;
  cmdline?: string;
  osrel?: string;
  uname?: string;
  /** Number of .profile sections (systemd ≥ 257 multi-profile UKIs); 0 for ordinary ones. */
  profiles: number;
}

export type Identify = (data: Uint8Array, file: string) => ImageInfo;

export function hasLinuxSection(pe: PeInfo): boolean {
  return pe.sections.some((s) => s.name === '.linux');
}

/** Reads the UKI sections of an already parsed PE; `identify` classifies the .linux payload. */
export function parseUki(data: Uint8Array, file: string, pe: PeInfo, identify: Identify): UkiInfo {
  const r: ByteReader = new ByteReader(data, file);
  const sections: Partial<Record<UkiSectionName, PeSection>> = {};
  for (const s of pe.sections) {
    const known = UKI_SECTIONS.find((n) => n === s.name);
    if (known !== undefined && sections[known] === undefined) sections[known] = s;
  }
  const linux = sections['.linux'];
  if (linux === undefined) r.fail(pe.layout.sectionTableOffset, 'section table', 'no .linux section: not a UKI');
  if (linux.rawSize === 0) r.fail(linux.headerOffset + 16, 'section .linux SizeOfRawData', 'is 0: the UKI carries no kernel');
  const info: UkiInfo = {
    sections,
    linux: identify(sectionBytes(data, linux), `${file}:.linux`),
    profiles: pe.sections.filter((s) => s.name === '.profile').length,
  };
  const cmdline = sectionText(r, sections['.cmdline']);
  const osrel = sectionText(r, sections['.osrel']);
  const uname = sectionText(r, sections['.uname']);
  if (cmdline !== undefined) info.cmdline = cmdline;
  if (osrel !== undefined) info.osrel = osrel;
  if (uname !== undefined) info.uname = uname;
  return info;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A text section as UTF-8, without the trailing NULs some builders append. */
function sectionText(r: ByteReader, s: PeSection | undefined): string | undefined {
  if (s === undefined) return undefined;
  let bytes = sectionBytes(r.data, s);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  bytes = bytes.subarray(0, end);
  try {
    return utf8.decode(bytes);
  } catch {
    return r.fail(s.rawOffset, `section ${s.name}`, 'is not valid UTF-8 text');
  }
}
