// expect: 127
// Signed shift counts that are negative: "taken modulo 64" read as two's complement, i.e. the
// low six bits of the count (-1 shifts by 63, -63 by 1, -64 by 0), as the hardware does.
import { i8, i32, i64, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  const a: i64 = -8n;
  const m1: i64 = -1n;
  const m63: i64 = -63n;
  const m64: i64 = -64n;
  let r: u64 = 0n;
  if (a >> m1 == -1n) r |= 1n;
  if (a << m63 == -16n) r |= 2n;
  if (a >> m64 == -8n) r |= 4n;
  const b: i32 = 0x40000000n;
  const c: i32 = -63n;
  if (b << c == -2147483648n) r |= 8n;
  if (b >> c == 0x20000000n) r |= 16n;
  const d: i8 = 1n;
  const e: i8 = -128n;
  if (d << e == 1n) r |= 32n;
  if (e >> e == -128n) r |= 64n;
  return r;
}
