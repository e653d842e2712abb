// expect: 4612494839921177976
// Walking a UEFI device path: byte-packed nodes (type, subtype, u16 length read byte-wise),
// ending at the End-Entire node; the file path node's CHAR16 name is read byte-wise too.
import { u8, u16, u64, type ptr } from '../../../templates/rt/types.ts';
import { table, load8 } from '../../../templates/rt/intrinsics.ts';

const DP = table(1, [
  // ACPI PNP0A03 (type 2, subtype 1, length 12)
  0x02n, 0x01n, 0x0cn, 0x00n, 0xd0n, 0x41n, 0x03n, 0x0an, 0x00n, 0x00n, 0x00n, 0x00n,
  // PCI device 1 function 0 (type 1, subtype 1, length 6)
  0x01n, 0x01n, 0x06n, 0x00n, 0x00n, 0x01n,
  // HD partition-ish vendor node of odd length 5 (type 3, subtype 0x17)
  0x03n, 0x17n, 0x05n, 0x00n, 0x2an,
  // file path (type 4, subtype 4) "\EFI" + NUL: 4 + 10 bytes
  0x04n, 0x04n, 0x0en, 0x00n, 0x5cn, 0n, 0x45n, 0n, 0x46n, 0n, 0x49n, 0n, 0n, 0n,
  // end entire
  0x7fn, 0xffn, 0x04n, 0x00n,
]);

function len(p: ptr): u16 {
  return u16(load8(p + 2n)) | (u16(load8(p + 3n)) << 8n);
}

export function main(): u64 {
  let p: ptr = DP;
  let nodes: u64 = 0n;
  let h: u64 = 0n;
  let name: u64 = 0n;
  while (true) {
    const t: u8 = load8(p);
    const s: u8 = load8(p + 1n);
    const n: u16 = len(p);
    if (t == 0x7fn && s == 0xffn) break;
    nodes++;
    h = h * 1009n + u64(t) * 256n + u64(s) + u64(n) * 65536n;
    if (t == 4n && s == 4n) {
      for (let i: u64 = 4n; i + 1n < u64(n); i += 2n) {
        const c: u16 = u16(load8(p + i)) | (u16(load8(p + i + 1n)) << 8n);
        if (c == 0n) break;
        name = name * 128n + u64(c);
      }
    }
    p += u64(n);
  }
  return (nodes << 60n) ^ h ^ (name << 8n) ^ (p - DP);
}
