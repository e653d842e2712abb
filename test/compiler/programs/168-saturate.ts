// expect: 512816776253
// Saturating i16 audio mixing done in i32 and clamped, against wrapping i16 addition.
import { i16, i32, i64 } from '../../../templates/rt/types.ts';

function sat(x: i32): i16 {
  if (x > 32767n) return 32767n;
  if (x < -32768n) return -32768n;
  return i16(x);
}

export function main(): i64 {
  let a: i16 = 0n;
  let b: i16 = 0n;
  let satSum: i64 = 0n;
  let wrapSum: i64 = 0n;
  let clipped: i64 = 0n;
  for (let i: i32 = 0n; i < 500n; i++) {
    a = a + 1234n;
    b = b - 777n;
    const s: i16 = sat(i32(a) + i32(b) * 2n);
    const w: i16 = a + b * 2n;
    if (s != w) clipped++;
    satSum += i64(s);
    wrapSum += i64(w);
  }
  return satSum * 1000000n + wrapSum * 1000n + clipped;
}
