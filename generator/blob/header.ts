// The blob header (docs/blob.md): fixed, versioned, little-endian, at offset 0. It is
// emitted as assembly so the listing shows it and the assembler computes the offsets.
import { FormatError } from '../errors.ts';
import type { SourceLine } from '../toolchain/assembler.ts';
import type { Target } from '../targets/target.ts';

export const BLOB_MAGIC = 'GPURGTRY';
export const BLOB_HEADER_VERSION = 1;
export const BLOB_HEADER_SIZE = 0x60;
export const BUILD_ID_OFFSET = 0x40;
export const BUILD_ID_SIZE = 32;

export interface BlobHeader {
  version: number;
  headerSize: number;
  machine: number;
  flags: number;
  entryOffset: number;
  fileSize: number;
  memSize: number;
  align: number;
  handoffSlotOffset: number;
  /** Entry for the ways in that pass a register: arm64 x0 = DTB, x86-64 rsi = boot_params. */
  wayinOffset: number;
  buildId: string;
}

const HEADER_SOURCE = `__blob_start:
        .ascii  "${BLOB_MAGIC}"                        // magic
        .short  0x${BLOB_HEADER_VERSION.toString(16)}                             // header version
        .short  0x${BLOB_HEADER_SIZE.toString(16)}                          // header size
        .short  PE_MACHINE                      // arch, as a PE machine number
        .short  0                               // flags
        .quad   _start - __blob_start           // entry offset
        .quad   __file_end - __blob_start       // file size
        .quad   __mem_end - __blob_start + STACK_SIZE  // memory size: file + zeroed data + stack
        .quad   BLOB_ALIGN                      // required load alignment
        .quad   handoff_slot - __blob_start     // handoff slot offset
        .quad   wayin_start - __blob_start      // way-in entry offset (docs/wrap.md)
        .skip   0x${BUILD_ID_SIZE.toString(16)}                            // build id: sha256, filled in after assembly`;

/** The header as source lines, shown in the listing as `<header>`. */
export function headerSource(): SourceLine[] {
  return HEADER_SOURCE.split('\n').map((text, i) => ({ file: '<header>', line: i + 1, text }));
}

export function headerEquates(target: Target): [string, number][] {
  return [['PE_MACHINE', target.peMachine], ['BLOB_ALIGN', target.blobAlign], ['STACK_SIZE', target.stackSize]];
}

/** Reads and checks a blob header; `file` names the blob in errors. */
export function parseBlobHeader(blob: Uint8Array, file: string): BlobHeader {
  if (blob.length < BLOB_HEADER_SIZE) throw new FormatError(file, blob.length, 'header', 'file shorter than the blob header');
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const magic = new TextDecoder().decode(blob.subarray(0, 8));
  if (magic !== BLOB_MAGIC) throw new FormatError(file, 0, 'magic', `'${magic}' is not a gen-purgatory blob`);
  const u64 = (o: number): number => Number(dv.getBigUint64(o, true));
  const h: BlobHeader = {
    version: dv.getUint16(8, true),
    headerSize: dv.getUint16(10, true),
    machine: dv.getUint16(12, true),
    flags: dv.getUint16(14, true),
    entryOffset: u64(0x10),
    fileSize: u64(0x18),
    memSize: u64(0x20),
    align: u64(0x28),
    handoffSlotOffset: u64(0x30),
    wayinOffset: u64(0x38),
    buildId: Buffer.from(blob.subarray(BUILD_ID_OFFSET, BUILD_ID_OFFSET + BUILD_ID_SIZE)).toString('hex'),
  };
  if (h.version !== BLOB_HEADER_VERSION) throw new FormatError(file, 8, 'version', `unsupported header version ${h.version}`);
  if (h.fileSize !== blob.length) throw new FormatError(file, 0x18, 'file size', `header says 0x${h.fileSize.toString(16)}, file has 0x${blob.length.toString(16)}`);
  if (h.handoffSlotOffset + 8 > h.fileSize || h.handoffSlotOffset % 8 !== 0) {
    throw new FormatError(file, 0x30, 'handoff slot offset', `0x${h.handoffSlotOffset.toString(16)} is not an aligned offset inside the file`);
  }
  if (h.entryOffset >= h.fileSize) throw new FormatError(file, 0x10, 'entry offset', 'points past the end of the file');
  if (h.wayinOffset >= h.fileSize) throw new FormatError(file, 0x38, 'way-in entry offset', 'points past the end of the file');
  return h;
}
