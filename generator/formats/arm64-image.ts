// arm64 Image header (Documentation/arch/arm64/booting.rst). With the EFI stub the
// Image is also a PE file: "MZ" sits in code0 and res5 @0x3c is the PE offset.
import { ByteReader, hex } from './bytes.ts';

export const ARM64_IMAGE_MAGIC = 0x644d5241; // "ARM\x64" @0x38
const MAX_IMAGE_SIZE = 0x40000000; // 1 GiB: anything larger is a corrupt header

export interface Arm64Header {
  code0: number;
  code1: number;
  /** Bytes above a 2 MiB aligned base where the Image must be placed. */
  textOffset: number;
  /** Bytes the kernel occupies in memory from its start (0 on kernels before 3.17). */
  imageSize: number;
  flags: number;
  bigEndian: boolean;
  /** 0 when the header does not say. */
  pageSize: 0 | 4096 | 16384 | 65536;
  /** flags bit 3: the 2 MiB aligned base may be anywhere in physical memory. */
  placeAnywhere: boolean;
  magic: number;
  peOffset: number;
}

export function isArm64Image(data: Uint8Array): boolean {
  return data.length >= 0x40 && new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0x38, true) === ARM64_IMAGE_MAGIC;
}

export function parseArm64Header(data: Uint8Array, file: string): Arm64Header {
  const r: ByteReader = new ByteReader(data, file);
  const magic = r.u32(0x38, 'magic');
  if (magic !== ARM64_IMAGE_MAGIC) r.fail(0x38, 'magic', `0x${hex(magic)} is not the arm64 Image magic 0x${hex(ARM64_IMAGE_MAGIC)}`);
  const flags = r.u64Small(0x18, 'flags', 0xffffffff);
  const header: Arm64Header = {
    code0: r.u32(0, 'code0'),
    code1: r.u32(4, 'code1'),
    textOffset: r.u64Small(0x08, 'text_offset', MAX_IMAGE_SIZE),
    imageSize: r.u64Small(0x10, 'image_size', MAX_IMAGE_SIZE),
    flags,
    bigEndian: (flags & 1) !== 0,
    pageSize: ([0, 4096, 16384, 65536] as const)[(flags >> 1) & 3],
    placeAnywhere: (flags & 8) !== 0,
    magic,
    peOffset: r.u32(0x3c, 'pe_header'),
  };
  // EFI runs little-endian only, so a big-endian Image can never run its EFI stub.
  if (header.bigEndian) r.fail(0x18, 'flags', 'big-endian kernel: it cannot be booted through its EFI stub');
  return header;
}
