// expect: 3167219274415579961
// CRC-32 (reflected polynomial 0xEDB88320, as UEFI CalculateCrc32) of short ascii strings.
import { u8, u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const CHECK = ascii('123456789');
const FOX = ascii('The quick brown fox jumps over the lazy dog');
const EMPTY = ascii('');

function crc32(p: ptr, n: u64): u32 {
  let crc: u32 = 0xffffffffn;
  for (let i: u64 = 0n; i < n; i++) {
    const b: u8 = load8(p + i);
    crc ^= u32(b);
    for (let k: u32 = 0n; k < 8n; k++) {
      if ((crc & 1n) != 0n) crc = (crc >> 1n) ^ 0xedb88320n;
      else crc >>= 1n;
    }
  }
  return ~crc;
}

function len(p: ptr): u64 {
  let n: u64 = 0n;
  while (load8(p + n) != 0n) n++;
  return n;
}

export function main(): u64 {
  let r: u64 = 0n;
  const a: u32 = crc32(CHECK, len(CHECK));
  const b: u32 = crc32(FOX, len(FOX));
  const c: u32 = crc32(EMPTY, 0n);
  if (a == 0xcbf43926n) r |= 1n;
  if (b == 0x414fa339n) r |= 2n;
  if (c == 0n) r |= 4n;
  return (r << 61n) ^ (u64(a) << 32n) ^ u64(b);
}
