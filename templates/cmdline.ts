// The command line travels as UTF-8 in the handoff block; images read UCS-2 LoadOptions.
import { u8, u16, u64, type ptr } from './rt/types.ts';
import { load8, store16 } from './rt/intrinsics.ts';

/** Continuation bytes of a UTF-8 sequence: 10xxxxxx. */
function isContinuation(b: u8): boolean {
  return (b & 0xc0n) == 0x80n;
}

/** The length of the sequence a lead byte starts, 0 for a byte that cannot lead. */
function sequenceLength(b: u8): u64 {
  if (b < 0x80n) return 1n;
  if ((b & 0xe0n) == 0xc0n) return 2n;
  if ((b & 0xf0n) == 0xe0n) return 3n;
  if ((b & 0xf8n) == 0xf0n) return 4n;
  return 0n;
}

/**
 * Converts `len` bytes of UTF-8 at `src` to NUL-terminated UCS-2 at `dst` (room for
 * len + 1 characters). Characters outside the BMP and malformed bytes become U+FFFD.
 * Returns the bytes written, NUL included: LoadOptionsSize.
 */
export function utf8ToUcs2(src: ptr, len: u64, dst: ptr): u64 {
  let i: u64 = 0n;
  let out: u64 = 0n;
  while (i < len) {
    const n: u64 = sequenceLength(load8(src + i));
    let ok: boolean = n != 0n && i + n <= len;
    let c: u64 = u64(load8(src + i));
    for (let k: u64 = 1n; ok && k < n; k++) {
      const next: u8 = load8(src + i + k);
      ok = isContinuation(next);
      c = (c << 6n) | (u64(next) & 0x3fn); // six bits per continuation byte
    }
    // The value has 7 bits in one byte, 5n + 1 in n; the mask drops the lead's marker.
    if (!ok || n == 4n) c = 0xfffdn;
    else c &= (1n << (n == 1n ? 7n : 5n * n + 1n)) - 1n;
    store16(dst + out, u16(c));
    out += 2n;
    i += ok ? n : 1n;
  }
  store16(dst + out, 0n);
  return out + 2n;
}
