// expect: 65378
// ++ and -- as statements, prefix and postfix, wrapping at each type's edge.
import { u8, u16, u32, u64, i8, i16, i32, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let a: u8 = 255n;
  a++;
  let b: u16 = 0n;
  b--;
  let c: u32 = 0xffffffffn;
  ++c;
  let d: u64 = 0n;
  --d;
  let e: i8 = 127n;
  e++;
  let f: i16 = -32768n;
  f--;
  let g: i32 = 2147483647n;
  ++g;
  let h: i64 = -9223372036854775808n;
  --h;
  let r: u64 = 0n;
  if (a == 0n) r |= 1n;
  if (b == 65535n) r |= 2n;
  if (c == 0n) r |= 4n;
  if (d == 0xffffffffffffffffn) r |= 8n;
  if (e == -128n) r |= 16n;
  if (f == 32767n) r |= 32n;
  if (g == -2147483648n) r |= 64n;
  if (h == 9223372036854775807n) r |= 128n;
  let n: u8 = 0n;
  for (let i: u64 = 0n; i < 1000n; i++) {
    n++;
    if (i % 3n == 0n) n--;
    if (i % 5n == 0n) ++n;
  }
  return (r << 8n) | u64(n);
}
