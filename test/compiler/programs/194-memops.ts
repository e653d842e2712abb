// expect: 2991377858481
// CopyMem/SetMem/CalculateCrc32 (templates/memops.ts) on the host and as machine code.
import { u8, u64 } from '../../../templates/rt/types.ts';
import { load8, store8, load32, zeroed, ascii, copyMem, setMem } from '../../../templates/rt/intrinsics.ts';
import { crc32, calculateCrc32 } from '../../../templates/memops.ts';

const BUF = zeroed(0x200n);
const CHECK = ascii('123456789');

export function main(): u64 {
  for (let i: u64 = 0n; i < 0x100n; i++) store8(BUF + i, u8(i * 37n + 11n));
  copyMem(BUF + 8n, BUF, 100n);
  copyMem(BUF + 1n, BUF + 6n, 99n);
  copyMem(BUF + 0x103n, BUF + 3n, 61n);
  setMem(BUF + 0x150n, 21n, 0x5an);
  let h: u64 = u64(crc32(BUF, 0x200n));
  h = h * 31n + calculateCrc32(CHECK, 9n, BUF + 0x1f0n) + u64(load32(BUF + 0x1f0n));
  return h * 31n + u64(load8(BUF + 0x165n));
}
