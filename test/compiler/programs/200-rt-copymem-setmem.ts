// expect: 13641372030887582803
// rt_copyMem and rt_setMem (stubs-asm/<arch>/memops.s) against the host's byte-at-a-time
// versions: every length 0..70 at every destination and source alignment, overlap in both
// directions at small distances, and large copies and fills that take the wide loops.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { copyMem, setMem, load64, store64, zeroed } from '../../../templates/rt/intrinsics.ts';

const A = zeroed(0x200n);
const BIG = zeroed(0x6000n);
let seed: u64 = 0x1234_5678n;

/** Fills `n` bytes (a multiple of 8) at 8-aligned `p` with fresh pseudo-random words. */
function fill(p: ptr, n: u64): void {
  for (let i: u64 = 0n; i < n; i += 8n) {
    seed = seed * 6364136223846793005n + 1442695040888963407n;
    store64(p + i, seed);
  }
}

/** Folds `n` bytes (a multiple of 8) at 8-aligned `p` into `h`. */
function hash(p: ptr, n: u64, h: u64): u64 {
  for (let i: u64 = 0n; i < n; i += 8n) h = (h ^ load64(p + i)) * 0x100_0000_01b3n;
  return h;
}

/** Disjoint ranges: the source half of A stays as filled, the destination is refilled. */
function small(h0: u64): u64 {
  let h: u64 = h0;
  fill(A + 0x100n, 0x100n);
  for (let n: u64 = 0n; n <= 70n; n++) {
    for (let da: u64 = 0n; da < 16n; da++) {
      for (let sa: u64 = 0n; sa < 16n; sa++) {
        fill(A, 0x80n);
        copyMem(A + 0x8n + da, A + 0x110n + sa, n);
        h = hash(A, 0x80n, h);
      }
    }
  }
  return h;
}

/** Source and destination a few bytes apart, both ways, inside A[0x30, 0xb0). */
function overlapping(h0: u64): u64 {
  let h: u64 = h0;
  for (let n: u64 = 0n; n <= 70n; n++) {
    for (let sa: u64 = 0n; sa < 16n; sa++) {
      for (let d: u64 = 1n; d <= 0x12n; d++) {
        fill(A + 0x30n, 0x80n);
        copyMem(A + 0x48n + sa + d, A + 0x48n + sa, n); // dst above src: backward
        h = hash(A + 0x30n, 0x80n, h);
        fill(A + 0x30n, 0x80n);
        copyMem(A + 0x48n + sa - d, A + 0x48n + sa, n); // dst below src: forward
        h = hash(A + 0x30n, 0x80n, h);
      }
    }
  }
  return h;
}

function fills(h0: u64): u64 {
  let h: u64 = h0;
  for (let n: u64 = 0n; n <= 70n; n++) {
    for (let da: u64 = 0n; da < 16n; da++) {
      fill(A, 0x80n);
      setMem(A + 0x8n + da, n, u8(n * 7n + da));
      h = hash(A, 0x80n, h);
    }
  }
  return h;
}

function large(h0: u64): u64 {
  let h: u64 = h0;
  const cases: u64 = 8n;
  for (let c: u64 = 0n; c < cases; c++) {
    fill(BIG, 0x6000n);
    const n: u64 = 0x3000n + c * 0x111n;
    if (c == 0n) copyMem(BIG + 0x10n, BIG + 0x1000n, n); // aligned, disjoint
    if (c == 1n) copyMem(BIG + 0x1008n, BIG + 0x1000n, n); // aligned, backward overlap
    if (c == 2n) copyMem(BIG + 0x1000n, BIG + 0x1040n, n); // aligned, forward overlap
    if (c == 3n) copyMem(BIG + 0x1003n, BIG + 0x1000n, n); // shifted, backward overlap
    if (c == 4n) copyMem(BIG + 0x1001n, BIG + 0x1006n, n); // shifted, forward overlap
    if (c == 5n) copyMem(BIG + 0x7n, BIG + 0x2ffbn, n); // shifted, disjoint
    if (c == 6n) setMem(BIG + 0x5n, n, 0xa5n);
    if (c == 7n) copyMem(BIG + 0x100n, BIG + 0x100n, n); // onto itself
    h = hash(BIG, 0x6000n, h);
  }
  return h;
}

/** The memory after every case, folded into one hash: the host's byte loops define it. */
export function main(): u64 {
  return large(fills(overlapping(small(0xcbf2_9ce4_8422_2325n))));
}
