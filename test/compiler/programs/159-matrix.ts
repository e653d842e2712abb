// expect: -2253359512795385052
// 4x4 i32 matrices in zeroed memory: multiply, transpose, and raise to a power (wrapping).
import { u32, u64, i32, i64, type ptr } from '../../../templates/rt/types.ts';
import { zeroed, load32, store32 } from '../../../templates/rt/intrinsics.ts';

const A = zeroed(64n);
const B = zeroed(64n);
const C = zeroed(64n);

function get(m: ptr, i: u64, j: u64): i32 {
  return i32(load32(m + (i * 4n + j) * 4n));
}
function put(m: ptr, i: u64, j: u64, v: i32): void {
  store32(m + (i * 4n + j) * 4n, u32(v));
}
function mul(dst: ptr, x: ptr, y: ptr): void {
  for (let i: u64 = 0n; i < 4n; i++)
    for (let j: u64 = 0n; j < 4n; j++) {
      let s: i32 = 0n;
      for (let k: u64 = 0n; k < 4n; k++) s += get(x, i, k) * get(y, k, j);
      put(dst, i, j, s);
    }
}
function copy(dst: ptr, src: ptr): void {
  for (let i: u64 = 0n; i < 64n; i += 4n) store32(dst + i, load32(src + i));
}
function trace(m: ptr): i64 {
  return i64(get(m, 0n, 0n)) + i64(get(m, 1n, 1n)) + i64(get(m, 2n, 2n)) + i64(get(m, 3n, 3n));
}

export function main(): i64 {
  for (let i: u64 = 0n; i < 4n; i++)
    for (let j: u64 = 0n; j < 4n; j++) put(A, i, j, i32(i64(i * 4n + j) - 7n) * 3n);
  copy(B, A);
  let t: i64 = 0n;
  for (let p: u64 = 0n; p < 12n; p++) {
    mul(C, B, A);
    copy(B, C);
    t = t * 7n + trace(B);
  }
  // transpose in place
  for (let i: u64 = 0n; i < 4n; i++)
    for (let j: u64 = i + 1n; j < 4n; j++) {
      const x: i32 = get(B, i, j);
      put(B, i, j, get(B, j, i));
      put(B, j, i, x);
    }
  return t ^ i64(get(B, 0n, 3n)) ^ (i64(get(B, 3n, 0n)) << 32n);
}
