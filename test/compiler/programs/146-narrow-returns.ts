// expect: 17734023044373548
// Functions returning narrow types: the result wraps to the return type, and a narrow result
// returned through callptr arrives zero-extended (unsigned return types only).
import { u8, u16, u32, u64, i8, i64, type ptr } from '../../../templates/rt/types.ts';
import { fnaddr, callptr } from '../../../templates/rt/intrinsics.ts';

function add8(a: u8, b: u8): u8 {
  return a + b;
}
function mul16(a: u16, b: u16): u16 {
  return a * b;
}
function sub32(a: u32, b: u32): u32 {
  return a - b;
}
function neg8(a: i8): i8 {
  return -a;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (add8(200n, 100n) == 44n) r |= 1n;
  if (mul16(300n, 300n) == 24464n) r |= 2n;
  if (sub32(1n, 2n) == 0xffffffffn) r |= 4n;
  if (neg8(-128n) == -128n && i64(neg8(5n)) == -5n) r |= 8n;
  const p8: ptr = fnaddr(add8);
  const p32: ptr = fnaddr(sub32);
  const a: u64 = 200n;
  const b: u64 = 100n;
  const x: u64 = callptr(p8, a, b);
  const y: u64 = callptr(p32, b, a);
  if (x == 44n) r |= 16n;
  if (y == 0xffffff9cn) r |= 32n;
  return (r << 48n) ^ x ^ (y << 8n);
}
