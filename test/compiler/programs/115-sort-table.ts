// expect: 5726486328148138777
// A table() copied into a zeroed() buffer and insertion-sorted there (u32 keys), then checked.
import { u32, u64 } from '../../../templates/rt/types.ts';
import { table, zeroed, load32, store32 } from '../../../templates/rt/intrinsics.ts';

const N: u64 = 16n;
const SRC = table(4, [0xdeadbeefn, 5n, 0n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 42n, 42n,
  1000000n, 3n, 0x12345678n, 0xfedcba98n, 1n, 99n, 0x80000001n, 7n]);
const BUF = zeroed(64n);

function get(i: u64): u32 {
  return load32(BUF + i * 4n);
}
function put(i: u64, v: u32): void {
  store32(BUF + i * 4n, v);
}

export function main(): u64 {
  for (let i: u64 = 0n; i < N; i++) put(i, load32(SRC + i * 4n));
  for (let i: u64 = 1n; i < N; i++) {
    const key: u32 = get(i);
    let j: u64 = i;
    while (j > 0n && get(j - 1n) > key) {
      put(j, get(j - 1n));
      j--;
    }
    put(j, key);
  }
  let ok: u64 = 1n;
  for (let i: u64 = 1n; i < N; i++) if (get(i - 1n) > get(i)) ok = 0n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < N; i++) h = h * 0x100000001b3n ^ u64(get(i));
  // the source table is untouched
  const src0: u64 = u64(load32(SRC));
  return (ok << 63n) ^ h ^ src0 ^ (u64(get(0n)) << 32n) ^ u64(get(15n));
}
