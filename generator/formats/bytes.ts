// Bounded little-endian reader for image files. Every read names the field it is for,
// so a truncated or malformed file fails with "FILE: offset 0xNN: FIELD: what" instead of
// a RangeError or, worse, a silent zero.
import { FormatError } from '../errors.ts';

export class ByteReader {
  readonly data: Uint8Array;
  readonly file: string;
  private readonly view: DataView;

  constructor(data: Uint8Array, file: string) {
    this.data = data;
    this.file = file;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get size(): number {
    return this.data.length;
  }

  /** Throws a FormatError for this file. */
  fail(offset: number, field: string, what: string): never {
    throw new FormatError(this.file, offset, field, what);
  }

  /** True when [offset, offset+length) lies inside the file. */
  has(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(length) &&
      offset >= 0 && length >= 0 && offset + length <= this.data.length;
  }

  /** Fails unless [offset, offset+length) lies inside the file. */
  need(offset: number, length: number, field: string): void {
    if (this.has(offset, length)) return;
    const where = offset < 0 || !Number.isSafeInteger(offset) ? 0 : offset;
    this.fail(where, field,
      `needs ${length} bytes at 0x${hex(offset)} but the file is only 0x${hex(this.data.length)} bytes (truncated?)`);
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.view.getUint8(offset);
  }

  u16(offset: number, field: string): number {
    this.need(offset, 2, field);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, field: string): number {
    this.need(offset, 4, field);
    return this.view.getUint32(offset, true);
  }

  u64(offset: number, field: string): bigint {
    this.need(offset, 8, field);
    return this.view.getBigUint64(offset, true);
  }

  /** A 64-bit field that must fit in `limit` (e.g. a size): returned as a plain number. */
  u64Small(offset: number, field: string, limit: number): number {
    const value = this.u64(offset, field);
    if (value > BigInt(limit)) this.fail(offset, field, `value 0x${value.toString(16)} is absurd (limit 0x${hex(limit)})`);
    return Number(value);
  }

  /** A view (no copy) of [offset, offset+length). */
  bytes(offset: number, length: number, field: string): Uint8Array {
    this.need(offset, length, field);
    return this.data.subarray(offset, offset + length);
  }

  /** Printable ASCII up to the first NUL within `length` bytes. */
  ascii(offset: number, length: number, field: string): string {
    const raw = this.bytes(offset, length, field);
    let text = '';
    for (const b of raw) {
      if (b === 0) break;
      if (b < 0x20 || b > 0x7e) this.fail(offset, field, `byte 0x${hex(b)} is not printable ASCII`);
      text += String.fromCharCode(b);
    }
    return text;
  }

  /** True when the bytes at `offset` equal `expected` (false if they run past EOF). */
  matches(offset: number, expected: readonly number[]): boolean {
    if (!this.has(offset, expected.length)) return false;
    return expected.every((b, i) => this.data[offset + i] === b);
  }
}

export function hex(value: number | bigint): string {
  return value.toString(16);
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

export function isPowerOfTwo(value: number): boolean {
  return value > 0 && value <= 0x80000000 && (value & (value - 1)) === 0;
}

/** Bytes of an ASCII string, for magic comparisons. */
export function asciiBytes(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}
