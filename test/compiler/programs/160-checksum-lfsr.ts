// expect: 12894534576
// Byte checksum that makes a table sum to zero (as ACPI/SMBIOS tables), and a 16-bit Galois LFSR.
import { u8, u16, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const TBL = zeroed(36n);

function sum8(n: u64): u8 {
  let s: u8 = 0n;
  for (let i: u64 = 0n; i < n; i++) s += load8(TBL + i);
  return s;
}

export function main(): u64 {
  let lfsr: u16 = 0xace1n;
  let period: u64 = 0n;
  do {
    const lsb: u16 = lfsr & 1n;
    lfsr >>= 1n;
    if (lsb != 0n) lfsr ^= 0xb400n;
    period++;
  } while (lfsr != 0xace1n);
  for (let i: u64 = 0n; i < 36n; i++) {
    lfsr = (lfsr >> 1n) ^ (0n - (lfsr & 1n) & 0xb400n);
    store8(TBL + i, u8(lfsr));
  }
  store8(TBL + 9n, u8(0n));
  store8(TBL + 9n, u8(0n) - sum8(36n));
  let r: u64 = 0n;
  if (sum8(36n) == 0n) r |= 1n;
  if (period == 65535n) r |= 2n;
  return (r << 32n) | (u64(load8(TBL + 9n)) << 16n) | u64(lfsr);
}
