// expect: 16000000094056412723
// An array of structs in zeroed memory, indexed by i * S.$size.
import { u8, u16, u32, u64 } from '../../../templates/rt/types.ts';
import { struct, zeroed, load8, load16, load32, load64, store8, store16, store32, store64 } from '../../../templates/rt/intrinsics.ts';

const Entry = struct({ kind: u8, flags: u16, pages: u32, base: u64 });
const N: u64 = 20n;
const ARR = zeroed(20n * 16n);

function at(i: u64): u64 {
  return ARR + i * Entry.$size;
}

export function main(): u64 {
  for (let i: u64 = 0n; i < N; i++) {
    const e: u64 = at(i);
    store8(e + Entry.kind, u8(i % 7n));
    store16(e + Entry.flags, u16(0xf000n + i));
    store32(e + Entry.pages, u32(i * 0x10001n));
    store64(e + Entry.base, 0x100000000n * i + 0x1000n);
  }
  let pages: u64 = 0n;
  let kinds: u64 = 0n;
  let top: u64 = 0n;
  let fl: u64 = 0n;
  for (let i: u64 = 0n; i < N; i++) {
    const e: u64 = at(i);
    if (load8(e + Entry.kind) == 3n) kinds++;
    pages += u64(load32(e + Entry.pages));
    fl ^= u64(load16(e + Entry.flags));
    const b: u64 = load64(e + Entry.base);
    if (b > top) top = b;
  }
  return Entry.$size * 1000000000000000000n + pages * 1000n + kinds + (fl << 40n) + top;
}
