// expect: 47311381579993
// EFI_TABLE_HEADER: fill a table, compute its CRC32 with the CRC field zeroed, store it, verify.
import { u8, u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load8, load32, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const Header = struct({ signature: u64, revision: u32, headerSize: u32, crc32: u32, reserved: u32 });
const TABLE = zeroed(96n);
const SIZE: u32 = 88n;

function crc32(p: ptr, n: u64): u32 {
  let crc: u32 = 0xffffffffn;
  for (let i: u64 = 0n; i < n; i++) {
    crc ^= u32(load8(p + i));
    for (let k: u64 = 0n; k < 8n; k++) crc = (crc >> 1n) ^ (0xedb88320n & (0n - (crc & 1n)));
  }
  return ~crc;
}

function seal(t: ptr): void {
  store32(t + Header.crc32, 0n);
  store32(t + Header.crc32, crc32(t, u64(load32(t + Header.headerSize))));
}

function valid(t: ptr): boolean {
  const saved: u32 = load32(t + Header.crc32);
  store32(t + Header.crc32, 0n);
  const ok: boolean = crc32(t, u64(load32(t + Header.headerSize))) == saved;
  store32(t + Header.crc32, saved);
  return ok;
}

export function main(): u64 {
  // "IBI SYST" as in EFI_SYSTEM_TABLE_SIGNATURE
  store64(TABLE + Header.signature, 0x5453595320494249n);
  store32(TABLE + Header.revision, 0x0002005an);
  store32(TABLE + Header.headerSize, SIZE);
  for (let i: u64 = Header.$size; i < u64(SIZE); i++) store32(TABLE + (i & ~3n), u32(i * 0x01010101n));
  seal(TABLE);
  let r: u64 = 0n;
  if (valid(TABLE)) r |= 1n;
  const crc: u32 = load32(TABLE + Header.crc32);
  // a single flipped bit is detected
  const b: u8 = load8(TABLE + 40n);
  store32(TABLE + 40n, load32(TABLE + 40n) ^ 0x10n);
  if (!valid(TABLE)) r |= 2n;
  if (Header.$size == 24n && Header.crc32 == 16n) r |= 4n;
  return (r << 32n) | u64(crc) | (u64(b) << 40n);
}
