// A growing little-endian byte buffer with the encodings DWARF uses: fixed-width
// integers, LEB128 and NUL-terminated strings. Every DWARF section is written with it.

export class ByteWriter {
  private bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }

  u64(v: number | bigint): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffff_ffffn)).u32(Number(b >> 32n));
  }

  /** Unsigned LEB128: seven bits a byte, low first, the top bit set on all but the last. */
  uleb(v: number | bigint): this {
    let b = BigInt(v);
    if (b < 0n) throw new Error(`uleb of a negative value ${b}`);
    do {
      const low = Number(b & 0x7fn);
      b >>= 7n;
      this.u8(b === 0n ? low : low | 0x80);
    } while (b !== 0n);
    return this;
  }

  /** Signed LEB128: stops once the rest is all sign bits and the last byte's bit 6 agrees. */
  sleb(v: number | bigint): this {
    let b = BigInt(v);
    for (;;) {
      const low = Number(b & 0x7fn);
      b >>= 7n; // arithmetic shift on bigint
      const done = (b === 0n && (low & 0x40) === 0) || (b === -1n && (low & 0x40) !== 0);
      this.u8(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  cstring(s: string): this {
    for (const b of Buffer.from(s, 'utf8')) this.u8(b);
    return this.u8(0);
  }

  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.u8(x);
    return this;
  }

  /** Overwrites a 32-bit field written earlier (a length known only afterwards). */
  patch32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }

  /** Reserves a 32-bit length at the current position; call the result to fill it in. */
  lengthField(): () => void {
    const at = this.length;
    this.u32(0);
    return () => this.patch32(at, this.length - at - 4);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
