// expect: 4095
// Branches on a local or parameter tested in place (peephole jcmp.s: x86-64 `cmpq $k,
// slot`): zero and non-zero, small immediates at the imm32 edge, signed and unsigned
// conditions on values whose top bit is set, and the constant pool's status codes.
import { u64, i64 } from '../../../templates/rt/types.ts';

function isZero(a: u64): u64 {
  if (a == 0n) return 1n;
  return 0n;
}

function below(a: u64): u64 {
  if (a < 0x7fffffffn) return 1n;
  return 0n;
}

function negative(a: i64): u64 {
  if (a < 5n) return 1n;
  return 0n;
}

function status(k: u64): u64 {
  if (k == 0n) return 0x8000000000000002n;
  if (k == 1n) return 0x8000000000000003n;
  if (k == 2n) return 0x800000000000000en;
  return 0x8000000000000002n;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (isZero(0n) == 1n) r |= 1n;
  if (isZero(0x100000000n) == 0n) r |= 2n;
  if (below(0x7ffffffen) == 1n) r |= 4n;
  if (below(0x7fffffffn) == 0n) r |= 8n;
  if (below(0xffffffff80000000n) == 0n) r |= 16n; // unsigned: huge
  if (negative(-1n) == 1n) r |= 32n;
  if (negative(-0x8000000000000000n) == 1n) r |= 64n;
  if (negative(5n) == 0n) r |= 128n;
  if (status(0n) == 0x8000000000000002n && status(3n) == 0x8000000000000002n) r |= 256n;
  if (status(1n) == 0x8000000000000003n) r |= 512n;
  if (status(2n) == 0x800000000000000en) r |= 1024n;
  let n: u64 = 3n;
  let loops: u64 = 0n;
  while (n != 0n) { n = n - 1n; loops = loops + 1n; }
  if (loops == 3n) r |= 2048n;
  return r;
}
