// Helper module for the cross-module programs: functions, constants, a global and static data.
// It has no main; the programs that import it are the tests.
import { u8, u32, u64, i64, type ptr } from '../../../../templates/rt/types.ts';
import { table, load32, callptr } from '../../../../templates/rt/intrinsics.ts';

export const SCALE: u32 = 1000n;
export const BIAS: i64 = -42n;
export const PRIMES = table(4, [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n]);

let calls: u64 = 0n;

export function mulAdd(a: u64, b: u64, c: u64): u64 {
  calls++;
  return a * b + c;
}

export function scaled(x: u32): u32 {
  calls++;
  return x * SCALE;
}

export function biased(x: i64): i64 {
  calls++;
  return x + BIAS;
}

export function wrap8(x: u8, y: u8): u8 {
  calls++;
  return x + y;
}

export function prime(i: u64): u32 {
  return load32(PRIMES + (i % 8n) * 4n);
}

export function callCount(): u64 {
  return calls;
}

/** Calls back into the caller's module through a function pointer, n times. */
export function repeat(fn: ptr, n: u64, seed: u64): u64 {
  let acc: u64 = seed;
  for (let i: u64 = 0n; i < n; i++) acc = callptr(fn, acc, i);
  return acc;
}

export function nineArgs(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64): u64 {
  return a + b * 2n + c * 3n + d * 4n + e * 5n + f * 6n + g * 7n + h * 8n + i * 9n;
}
