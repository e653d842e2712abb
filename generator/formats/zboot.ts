// arm64 (also riscv64, loongarch64) zboot header, from libstub/zboot-header.S:
// "MZ", "zimg", payload offset and size, two reserved words, the compression name as a
// NUL-terminated string @0x18, LINUX_PE_MAGIC @0x38 and the PE offset @0x3c.
import { ByteReader, asciiBytes, hex } from './bytes.ts';

export const LINUX_PE_MAGIC = 0x818223cd;
const ZIMG = asciiBytes('zimg');

export interface ZbootHeader {
  imageType: string;
  /** File offset of the compressed kernel. */
  payloadOffset: number;
  payloadSize: number;
  /** "gzip", "zstd22", "lzma", "xzkern", "lz4", "lzo" ... as the kernel build names it. */
  compression: string;
  linuxPeMagic: number;
  peOffset: number;
}

export function isZboot(data: Uint8Array): boolean {
  return data.length >= 8 && data[0] === 0x4d && data[1] === 0x5a && ZIMG.every((b, i) => data[4 + i] === b);
}

export function parseZbootHeader(data: Uint8Array, file: string): ZbootHeader {
  const r: ByteReader = new ByteReader(data, file);
  if (!r.matches(4, ZIMG)) r.fail(4, 'image_type', 'not "zimg"');
  const header: ZbootHeader = {
    imageType: 'zimg',
    payloadOffset: r.u32(8, 'payload_offset'),
    payloadSize: r.u32(12, 'payload_size'),
    compression: r.ascii(0x18, 0x38 - 0x18, 'compress_type'),
    linuxPeMagic: r.u32(0x38, 'linux_pe_magic'),
    peOffset: r.u32(0x3c, 'pe_header'),
  };
  if (header.linuxPeMagic !== LINUX_PE_MAGIC) {
    r.fail(0x38, 'linux_pe_magic', `0x${hex(header.linuxPeMagic)} is not LINUX_PE_MAGIC 0x${hex(LINUX_PE_MAGIC)}`);
  }
  if (header.compression === '') r.fail(0x18, 'compress_type', 'is empty');
  if (header.payloadSize === 0) r.fail(12, 'payload_size', 'is 0');
  if (!r.has(header.payloadOffset, header.payloadSize)) {
    r.fail(8, 'payload_offset',
      `payload 0x${hex(header.payloadOffset)}+0x${hex(header.payloadSize)} runs past the end of the file (0x${hex(r.size)} bytes)`);
  }
  return header;
}
