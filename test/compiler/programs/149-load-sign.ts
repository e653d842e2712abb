// expect: -1072214222423
// Loads are zero-extended; signed values come from converting the loaded value.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';
import { table, load8, load16, load32 } from '../../../templates/rt/intrinsics.ts';

const BYTES = table(1, [0x80n, 0xffn, 0x7fn, 0x00n, 0xfen, 0x01n, 0x90n, 0x10n]);
const HALVES = table(2, [0x8000n, 0xffffn, 0x7fffn, 0x0001n]);
const WORDS = table(4, [0x80000000n, 0xffffffffn, 0x7fffffffn, 0xfffffffen]);

export function main(): i64 {
  let s: i64 = 0n;
  let u: i64 = 0n;
  for (let i: u64 = 0n; i < 8n; i++) {
    const b: u8 = load8(BYTES + i);
    s += i64(i8(b));
    u += i64(b);
  }
  for (let i: u64 = 0n; i < 4n; i++) {
    const h: u16 = load16(HALVES + i * 2n);
    s += i64(i16(h)) * 1000n;
    u += i64(h) * 1000n;
    const w: u32 = load32(WORDS + i * 4n);
    s += i64(i32(w)) * 3n;
    u += i64(w) * 3n;
  }
  return s * 1000000000n + u;
}
