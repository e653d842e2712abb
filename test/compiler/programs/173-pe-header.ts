// expect: 17294989975647355392
// Parsing a (tiny, hand-made) PE/COFF image header from a byte table: DOS stub e_lfanew,
// "PE\0\0", machine, section count, optional-header magic, and section names.
import { u16, u32, u64, type ptr } from '../../../templates/rt/types.ts';
import { table, load8 } from '../../../templates/rt/intrinsics.ts';

const IMG = table(1, [
  0x4dn, 0x5an, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0x40n, 0n, 0n, 0n,
  // PE header at 0x40
  0x50n, 0x45n, 0n, 0n, 0x64n, 0xaan, 0x02n, 0n, 0x78n, 0x56n, 0x34n, 0x12n, 0n, 0n, 0n, 0n,
  0n, 0n, 0n, 0n, 0x10n, 0n, 0x22n, 0x02n,
  // optional header (16 bytes of it): magic 0x20b, linker 2.40, SizeOfCode
  0x0bn, 0x02n, 0x02n, 0x28n, 0x00n, 0x10n, 0x00n, 0x00n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  // two section headers (name only, 8 bytes each, then 32 bytes of zeroes)
  0x2en, 0x74n, 0x65n, 0x78n, 0x74n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n,
  0x2en, 0x64n, 0x61n, 0x74n, 0x61n, 0n, 0n, 0n,
]);

// byte-wise little-endian reads: the table has byte alignment only
function rd16(p: ptr): u16 {
  return u16(load8(p)) | (u16(load8(p + 1n)) << 8n);
}
function rd32(p: ptr): u32 {
  return u32(rd16(p)) | (u32(rd16(p + 2n)) << 16n);
}

export function main(): u64 {
  let r: u64 = 0n;
  if (rd16(IMG) == 0x5a4dn) r |= 1n;
  const pe: u64 = u64(rd32(IMG + 0x3cn));
  if (pe == 0x40n && rd32(IMG + pe) == 0x00004550n) r |= 2n;
  const machine: u16 = rd16(IMG + pe + 4n);
  const nsec: u16 = rd16(IMG + pe + 6n);
  const stamp: u32 = rd32(IMG + pe + 8n);
  const optSize: u16 = rd16(IMG + pe + 20n);
  const chars: u16 = rd16(IMG + pe + 22n);
  const opt: u64 = pe + 24n;
  if (machine == 0xaa64n && nsec == 2n && stamp == 0x12345678n && chars == 0x0222n) r |= 4n;
  if (rd16(IMG + opt) == 0x20bn && rd32(IMG + opt + 4n) == 0x1000n) r |= 8n;
  let names: u64 = 0n;
  const sec0: u64 = opt + u64(optSize);
  for (let s: u64 = 0n; s < u64(nsec); s++)
    for (let i: u64 = 0n; i < 8n; i++) names = (names << 3n) ^ u64(load8(IMG + sec0 + s * 40n + i));
  return (r << 60n) ^ names ^ (u64(load8(IMG + opt + 3n)) << 32n);
}
