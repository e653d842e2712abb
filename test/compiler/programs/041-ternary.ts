// expect: 1080863910568925353
// ?: selects between values of each type; nested conditionals; only one side is evaluated.
import { u8, i32, u64, i64 } from '../../../templates/rt/types.ts';

let evals: u64 = 0n;

function side(v: u64): u64 {
  evals++;
  return v;
}
function sign(x: i64): i64 {
  return x < 0n ? -1n : x > 0n ? 1n : 0n;
}
function clamp(x: i32, lo: i32, hi: i32): i32 {
  return x < lo ? lo : x > hi ? hi : x;
}
function minu8(a: u8, b: u8): u8 {
  return a < b ? a : b;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (sign(-9223372036854775808n) == -1n && sign(0n) == 0n && sign(5n) == 1n) r |= 1n;
  if (clamp(-100n, -10n, 10n) == -10n && clamp(100n, -10n, 10n) == 10n && clamp(3n, -10n, 10n) == 3n) r |= 2n;
  if (minu8(200n, 100n) == 100n && minu8(0n, 255n) == 0n) r |= 4n;
  const k: u64 = 7n;
  const v: u64 = k > 5n ? side(10n) : side(20n);
  const w: u64 = k < 5n ? side(30n) : side(40n);
  if (v == 10n && w == 40n && evals == 2n) r |= 8n;
  let s: u64 = 0n;
  for (let i: u64 = 0n; i < 20n; i++) s += i % 3n == 0n ? i * 100n : i % 3n == 1n ? i : 0n - i;
  return (r << 56n) ^ s;
}
