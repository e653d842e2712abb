// The one entry point that says what a kernel image is. Every format we boot is a PE
// file; the order of checks matters because the formats nest: a UKI carries any of the
// others in .linux, zboot and arm64 Image share the DOS header layout, and a bzImage
// has "HdrS" in the first sector.
import { ByteReader } from './bytes.ts';
import { MACHINE_ARM64, MACHINE_X86_64, parsePe, type PeInfo } from './pe.ts';
import { isArm64Image, parseArm64Header, type Arm64Header } from './arm64-image.ts';
import { isZboot, parseZbootHeader, type ZbootHeader } from './zboot.ts';
import { isBzImage, parseSetupHeader, type SetupHeader } from './bzimage.ts';
import { hasLinuxSection, parseUki, type UkiInfo } from './uki.ts';
import { findWrapRecord } from './wrap.ts';
import { WRAP_RECORD_OFFSET } from '../loader/layout.ts';

export type ImageFormat = 'arm64-image' | 'arm64-zboot' | 'x86-bzimage' | 'uki' | 'pe';
export type ImageArch = 'arm64' | 'x86_64';

export interface ImageInfo {
  file: string;
  size: number;
  format: ImageFormat;
  arch: ImageArch;
  pe: PeInfo;
  arm64?: Arm64Header;
  zboot?: ZbootHeader;
  bzimage?: SetupHeader;
  uki?: UkiInfo;
}

/** Identifies and validates a kernel image; throws FormatError if it is malformed or unsupported. */
export function identifyImage(data: Uint8Array, file: string): ImageInfo {
  return identify(data, file, 0);
}

function identify(data: Uint8Array, file: string, depth: number): ImageInfo {
  const r: ByteReader = new ByteReader(data, file);
  rejectNonPe(r);
  const pe = parsePe(data, file);
  const arch = archOf(r, pe);
  const base = (format: ImageFormat): ImageInfo => ({ file, size: data.length, format, arch, pe });
  if (hasLinuxSection(pe)) {
    // A UKI inside a UKI is not something systemd-stub boots; refuse rather than recurse.
    if (depth > 0) r.fail(pe.layout.sectionTableOffset, 'section .linux', 'a UKI nested inside a UKI');
    const uki = parseUki(data, file, pe, (inner, label) => identify(inner, label, depth + 1));
    if (uki.linux.arch !== arch) {
      r.fail(uki.sections['.linux']?.headerOffset ?? 0, 'section .linux', `holds an ${uki.linux.arch} kernel but the stub is ${arch}`);
    }
    return { ...base('uki'), uki };
  }
  if (isZboot(data)) {
    requireArch(r, pe, arch, 'arm64', 'zboot image');
    return { ...base('arm64-zboot'), zboot: parseZbootHeader(data, file) };
  }
  if (isArm64Image(data)) {
    requireArch(r, pe, arch, 'arm64', 'arm64 Image');
    return { ...base('arm64-image'), arm64: parseArm64Header(data, file) };
  }
  if (isBzImage(data)) {
    requireArch(r, pe, arch, 'x86_64', 'bzImage');
    return { ...base('x86-bzimage'), bzimage: parseSetupHeader(data, file) };
  }
  return base('pe');
}

/** Clear words for the files people most often pass by mistake. */
function rejectNonPe(r: ByteReader): void {
  if (r.matches(0, [0x4d, 0x5a])) return;
  const wrapped = findWrapRecord(r.data);
  if (wrapped) {
    r.fail(wrapped.loadedOffset + WRAP_RECORD_OFFSET, 'wrap record',
      'a wrapped image (gen-purgatory wrap): kexec loads it as it is; give this command the IMAGE it wraps');
  }
  if (isArm64Image(r.data)) r.fail(0, 'code0', 'arm64 Image without an EFI stub (no "MZ"): rebuild with CONFIG_EFI_STUB');
  if (r.matches(0, [0x1f, 0x8b])) r.fail(0, 'magic', 'gzip-compressed file (Image.gz?): decompress it first');
  if (r.matches(0, [0x7f, 0x45, 0x4c, 0x46])) r.fail(0, 'magic', 'ELF file (vmlinux?): boot the PE image (Image, bzImage, vmlinuz.efi) instead');
  if (r.size < 2) r.fail(0, 'e_magic', `file is ${r.size} bytes: too short to be a kernel image`);
}

function archOf(r: ByteReader, pe: PeInfo): ImageArch {
  if (pe.machine !== MACHINE_ARM64 && pe.machine !== MACHINE_X86_64) {
    r.fail(pe.layout.coffOffset, 'Machine', `${pe.machineName} images are not supported (only arm64 and x86_64)`);
  }
  // UEFI loads 64-bit images only in the PE32+ layout.
  if (pe.kind !== 'PE32+') r.fail(pe.layout.optionalHeaderOffset, 'OptionalHeader.Magic', `PE32 header, but ${pe.machineName} images must be PE32+`);
  return pe.machine === MACHINE_ARM64 ? 'arm64' : 'x86_64';
}

function requireArch(r: ByteReader, pe: PeInfo, arch: ImageArch, want: ImageArch, what: string): void {
  if (arch !== want) r.fail(pe.layout.coffOffset, 'Machine', `${what} with PE machine ${arch}, expected ${want}`);
}
