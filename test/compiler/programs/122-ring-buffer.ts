// expect: 6686489156858341699
// A ring buffer of u16 with a power-of-two capacity and free-running u32 indices that wrap.
import { u16, u32, u64 } from '../../../templates/rt/types.ts';
import { zeroed, load16, store16 } from '../../../templates/rt/intrinsics.ts';

const CAP: u32 = 16n;
const RING = zeroed(32n);
let head: u32 = 0xfffffff0n;
let tail: u32 = 0xfffffff0n;

function put(v: u16): boolean {
  if (head - tail == CAP) return false;
  store16(RING + u64(head & (CAP - 1n)) * 2n, v);
  head++;
  return true;
}
function take(): u64 {
  if (head == tail) return 0x10000n;
  const v: u16 = load16(RING + u64(tail & (CAP - 1n)) * 2n);
  tail++;
  return u64(v);
}

export function main(): u64 {
  let dropped: u64 = 0n;
  let got: u64 = 0n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 100n; i++) {
    if (!put(u16(i * 1234n))) dropped++;
    if (i % 3n == 0n) {
      const v: u64 = take();
      if (v != 0x10000n) {
        got++;
        h = h * 65537n + v;
      }
    }
  }
  while (true) {
    const v: u64 = take();
    if (v == 0x10000n) break;
    got++;
    h = h * 65537n + v;
  }
  return (dropped << 56n) ^ (got << 48n) ^ h ^ u64(head);
}
