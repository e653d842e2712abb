// expect: 1301549369962736046
// Offsets and sizes of several struct shapes, including tail padding and ptr fields.
import { u8, u16, u32, u64, i8, i16, i32, i64, ptr } from '../../../templates/rt/types.ts';
import { struct } from '../../../templates/rt/intrinsics.ts';

const A = struct({ x: u8 });
const B = struct({ x: u64, y: u8 });
const C = struct({ x: u8, y: u16, z: u8 });
const D = struct({ x: i8, y: i16, z: i32, w: i64 });
const E = struct({ p: ptr, n: u32, q: ptr, k: u8 });
const F = struct({ a: u16, b: u16, c: u16 });
const G = struct({ a: u32, b: u8, c: u8, d: u16, e: u32 });

export function main(): u64 {
  let h: u64 = 0n;
  h = h * 64n + A.x;
  h = h * 64n + A.$size;
  h = h * 64n + B.y;
  h = h * 64n + B.$size;
  h = h * 64n + C.y;
  h = h * 64n + C.z;
  h = h * 64n + C.$size;
  h = h * 64n + D.y + D.z + D.w;
  h = h * 64n + D.$size;
  h = h * 64n + E.n + E.q + E.k;
  h = h * 64n + E.$size;
  h = (h * 64n + F.c + F.$size) ^ (G.e * 1000n + G.d * 100n + G.$size);
  return h;
}
