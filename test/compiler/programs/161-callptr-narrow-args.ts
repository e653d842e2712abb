// expect: 18446744073709546239
// callptr with narrow and signed arguments: each arrives as its value in the callee's type.
import { u8, u16, u32, u64, i8, i16, i32, i64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function take(a: u8, b: u16, c: u32, d: i8, e: i16, f: i32, g: i64, h: u64): u64 {
  let r: u64 = 0n;
  if (a == 0xffn) r |= 1n;
  if (b == 0xfffen) r |= 2n;
  if (c == 0xfffffffdn) r |= 4n;
  if (d == -4n) r |= 8n;
  if (e == -5n) r |= 16n;
  if (f == -6n) r |= 32n;
  if (g == -7n) r |= 64n;
  if (h == 0xfffffffffffffff8n) r |= 128n;
  return r + u64(i64(d) + i64(e) + i64(f) + g) * 256n;
}

export function main(): u64 {
  const p: ptr = fnaddr(take);
  const a: u8 = 0xffn;
  const b: u16 = 0xfffen;
  const c: u32 = 0xfffffffdn;
  const d: i8 = -4n;
  const e: i16 = -5n;
  const f: i32 = -6n;
  const g: i64 = -7n;
  const h: u64 = 0xfffffffffffffff8n;
  return callptr(p, a, b, c, d, e, f, g, h);
}
