// The PE/COFF form of a wrapper made with --trust (docs/wrap.md, "Signing"): like a real
// bzImage or EFI-stub Image, the file is also a PE image, so sbsign and pesign sign it
// and kexec_file_load checks its Authenticode signature. The headers fill the first
// WRAP_PE_HEADERS bytes; one section covers the rest of the loaded part, file offsets
// equal to RVAs; its EFI entry only returns EFI_UNSUPPORTED (it is no EFI application).
import { parsePe, SECTION_HEADER_SIZE, type CertificateTable } from './pe.ts';
import { alignUp } from './bytes.ts';
import { WRAP_PE_ALIGN, WRAP_PE_HEADERS } from '../loader/layout.ts';

const PE_SIGNATURE = 0x00004550; // "PE\0\0"
const COFF_SIZE = 20;
const OPTIONAL_SIZE = 240; // PE32+ with 16 data directories
const PE32_PLUS = 0x20b;
const SUBSYSTEM_EFI_APPLICATION = 10;
/** EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | LARGE_ADDRESS_AWARE | DEBUG_STRIPPED. */
const COFF_CHARACTERISTICS = 0x0226;
/** CNT_CODE | MEM_EXECUTE | MEM_READ. */
const TEXT_CHARACTERISTICS = 0x60000020;
const DATA_DIRECTORIES = 16;

/** Where the PE headers go and what the section holds (file offsets). */
export interface WrapPeLayout {
  /** e_lfanew: where "PE\0\0" starts, inside the first WRAP_PE_HEADERS bytes. */
  peOffset: number;
  machine: number;
  /** End of the section: the end of the loaded part, a multiple of WRAP_PE_ALIGN. */
  end: number;
  /** File offset of the EFI entry code. */
  entry: number;
  entryCode: readonly number[];
}

/** Bytes the PE headers take from peOffset. */
export const WRAP_PE_SIZE = 4 + COFF_SIZE + OPTIONAL_SIZE + SECTION_HEADER_SIZE;

/** Writes MZ, e_lfanew, the PE headers, the section and the entry code into `out`. */
export function writeWrapPe(out: Uint8Array, l: WrapPeLayout): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (out[0] === 0 && out[1] === 0) v.setUint16(0, 0x5a4d, true); // "MZ" (an arm64 header already starts with it)
  v.setUint32(0x3c, l.peOffset, true);
  const size = l.end - WRAP_PE_HEADERS;
  let at = l.peOffset;
  v.setUint32(at, PE_SIGNATURE, true);
  at += 4;
  v.setUint16(at, l.machine, true);
  v.setUint16(at + 2, 1, true); // one section
  v.setUint16(at + 16, OPTIONAL_SIZE, true);
  v.setUint16(at + 18, COFF_CHARACTERISTICS, true);
  at += COFF_SIZE;
  v.setUint16(at, PE32_PLUS, true);
  v.setUint32(at + 4, size, true); // SizeOfCode
  v.setUint32(at + 16, l.entry, true); // AddressOfEntryPoint: RVA = file offset
  v.setUint32(at + 20, WRAP_PE_HEADERS, true); // BaseOfCode
  v.setUint32(at + 32, WRAP_PE_ALIGN, true); // SectionAlignment
  v.setUint32(at + 36, WRAP_PE_ALIGN, true); // FileAlignment
  v.setUint32(at + 56, l.end, true); // SizeOfImage
  v.setUint32(at + 60, WRAP_PE_HEADERS, true); // SizeOfHeaders
  v.setUint16(at + 68, SUBSYSTEM_EFI_APPLICATION, true);
  v.setUint32(at + 108, DATA_DIRECTORIES, true); // all empty until a signer fills the certificate table
  at += OPTIONAL_SIZE;
  out.set([0x2e, 0x74, 0x65, 0x78, 0x74], at); // ".text"
  v.setUint32(at + 8, size, true); // VirtualSize
  v.setUint32(at + 12, WRAP_PE_HEADERS, true); // VirtualAddress
  v.setUint32(at + 16, size, true); // SizeOfRawData
  v.setUint32(at + 20, WRAP_PE_HEADERS, true); // PointerToRawData
  v.setUint32(at + 36, TEXT_CHARACTERISTICS, true);
  out.set(l.entryCode, l.entry);
}

/** The end of a PE-form loaded part: the section ends on the file alignment. */
export function wrapPeEnd(fileEnd: number): number {
  return alignUp(fileEnd, WRAP_PE_ALIGN);
}

/** The signature a signer appended (the certificate table), if the file is in PE form and has one. */
export function wrapSignature(data: Uint8Array, file: string): CertificateTable | undefined {
  return parsePe(data, file).certificateTable;
}
