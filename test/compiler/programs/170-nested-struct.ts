// expect: 6445053621986736324
// A struct embedded in another by offset arithmetic (Outer.hdr + Header.field), arrays inside.
import { u8, u16, u32, u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load8, load16, load32, load64, store8, store16, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const Header = struct({ signature: u64, revision: u32, size: u32 });
// Outer: a u8 tag, then a Header at offset 8 (16 bytes), then 4 u16 slots, then a pointer
const Outer = struct({ tag: u8, hdrSig: u64, hdrRevSize: u64, s0: u16, s1: u16, s2: u16, s3: u16, link: ptr });
const OBJS = zeroed(40n * 3n);

function obj(i: u64): ptr {
  return OBJS + i * Outer.$size;
}
function hdr(o: ptr): ptr {
  return o + Outer.hdrSig;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (Outer.hdrSig == 8n && Outer.s0 == 24n && Outer.s3 == 30n && Outer.link == 32n && Outer.$size == 40n) r |= 1n;
  if (Header.$size == 16n && Outer.hdrRevSize == Outer.hdrSig + Header.revision) r |= 2n;
  for (let i: u64 = 0n; i < 3n; i++) {
    const o: ptr = obj(i);
    store8(o + Outer.tag, u8(0x40n + i));
    store64(hdr(o) + Header.signature, 0x5453595320494249n + i);
    store32(hdr(o) + Header.revision, u32(0x20000n + i));
    store32(hdr(o) + Header.size, u32(Outer.$size));
    for (let k: u64 = 0n; k < 4n; k++) store16(o + Outer.s0 + k * 2n, u16(i * 100n + k));
    store64(o + Outer.link, i < 2n ? obj(i + 1n) : obj(0n));
  }
  // follow the ring of links three times round
  let h: u64 = 0n;
  let o: ptr = obj(0n);
  for (let step: u64 = 0n; step < 9n; step++) {
    h = h * 131n + u64(load8(o + Outer.tag)) + u64(load32(hdr(o) + Header.revision)) + u64(load16(o + Outer.s2));
    h ^= load64(hdr(o) + Header.signature);
    o = load64(o + Outer.link);
  }
  return (r << 62n) ^ h ^ u64(load32(hdr(obj(2n)) + Header.size));
}
