// expect: 133144986305
// Bigint literals in hex, binary, octal, decimal and with numeric separators.
import { u8, u32, u64, i64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u64 = 0xffn;
  const b: u64 = 0b11111111n;
  const c: u64 = 0o377n;
  const d: u64 = 255n;
  if (a == b && b == c && c == d) r |= 1n;
  const e: u64 = 0xFFFF_FFFF_FFFF_FFFFn;
  if (e == 18446744073709551615n) r |= 2n;
  const f: u32 = 1_000_000n;
  if (f == 0xf4240n) r |= 4n;
  const g: i64 = -0x8000_0000_0000_0000n;
  if (g == -9223372036854775808n) r |= 8n;
  const h: u8 = 0b1000_0001n;
  if (h == 129n) r |= 16n;
  return (r << 32n) | u64(f) + u64(h);
}
