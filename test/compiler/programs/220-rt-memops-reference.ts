// expect: 2154
// rt_copyMem/rt_setMem (stubs-asm/<arch>/memops.s) checked case by case against a
// reference built here with byte loops through a scratch buffer: every distance of an
// overlap from -n-1 to n+1 (touching, one-byte and full overlap, both directions), every
// length 0..70 at mixed alignments, copies of 64 KiB and more across pages, fills with
// every byte value (0x80 and 0xff must not sign-extend), and n = 0 at awkward addresses.
// Each case also checks the bytes around the range are untouched. The result counts the
// cases, plus 1000000 per case that differed from the reference.
import { u8, u64 } from '../../../templates/rt/types.ts';
import { copyMem, setMem, load8, store8, load64, store64, zeroed } from '../../../templates/rt/intrinsics.ts';

const BUF = zeroed(0x200n);
const REF = zeroed(0x200n);
const TMP = zeroed(0x200n);
const BIG = zeroed(0x22000n);
let seed: u64 = 0x9e37_79b9_7f4a_7c15n;

function random(): u64 {
  seed ^= seed << 13n;
  seed ^= seed >> 7n;
  seed ^= seed << 17n;
  return seed;
}

/** BUF and REF get the same fresh pseudo-random 0x200 bytes. */
function prime(): void {
  for (let i: u64 = 0n; i < 0x200n; i += 8n) {
    const w: u64 = random();
    store64(BUF + i, w);
    store64(REF + i, w);
  }
}

/** The reference copy inside REF: through TMP, so overlap cannot matter. */
function refCopy(dOff: u64, sOff: u64, n: u64): void {
  for (let i: u64 = 0n; i < n; i++) store8(TMP + i, load8(REF + sOff + i));
  for (let i: u64 = 0n; i < n; i++) store8(REF + dOff + i, load8(TMP + i));
}

/** 1 if BUF differs from REF anywhere (the range and everything around it). */
function differs(): u64 {
  for (let i: u64 = 0n; i < 0x200n; i += 8n) if (load64(BUF + i) != load64(REF + i)) return 1n;
  return 0n;
}

/** One copy case inside BUF at offsets from its start; returns 1 if it went wrong. */
function copyCase(dOff: u64, sOff: u64, n: u64): u64 {
  prime();
  copyMem(BUF + dOff, BUF + sOff, n);
  refCopy(dOff, sOff, n);
  return differs();
}

function overlaps(): u64 {
  let bad: u64 = 0n;
  for (let n: u64 = 0n; n <= 0x46n; n += 3n) {
    for (let d: u64 = 0n; d <= n + 1n; d++) {
      bad += copyCase(0x100n + d, 0x100n, n); // dst above src by d: backward when d < n
      bad += copyCase(0x100n - d, 0x100n, n); // dst below src by d: forward
    }
  }
  return bad;
}

function alignments(): u64 {
  let bad: u64 = 0n;
  for (let n: u64 = 0n; n <= 0x46n; n++) {
    const da: u64 = n & 7n;
    const sa: u64 = (n * 5n) & 0xfn;
    bad += copyCase(0x20n + da, 0x120n + sa, n); // disjoint
    bad += copyCase(0x40n + da, 0x40n + sa + 0x3n, n); // close, either way
  }
  return bad;
}

function fills(): u64 {
  let bad: u64 = 0n;
  for (let v: u64 = 0n; v < 0x100n; v++) {
    const off: u64 = 0x10n + (v & 0xfn);
    const n: u64 = (v * 7n) % 0x90n;
    prime();
    setMem(BUF + off, n, u8(v));
    for (let i: u64 = 0n; i < n; i++) store8(REF + off + i, u8(v));
    bad += differs();
  }
  return bad;
}

/** n = 0 must touch nothing, even with overlapping or odd addresses. */
function empties(): u64 {
  let bad: u64 = 0n;
  bad += copyCase(0x101n, 0x100n, 0n);
  bad += copyCase(0x0ffn, 0x100n, 0n);
  bad += copyCase(0x133n, 0x133n, 0n);
  prime();
  setMem(BUF + 0x7n, 0n, 0xffn);
  return bad + differs();
}

/** Big copies over page boundaries: a word pattern that shows any misplaced byte. */
function big(): u64 {
  let bad: u64 = 0n;
  const n: u64 = 0x10003n;
  for (let c: u64 = 0n; c < 4n; c++) {
    for (let i: u64 = 0n; i < 0x22000n; i += 8n) store64(BIG + i, i * 0x0001_0001_0001n + c);
    const sOff: u64 = c == 0n ? 0x1000n : c == 1n ? 0x1005n : c == 2n ? 0x9001n : 0x11000n;
    const dOff: u64 = c == 0n ? 0x11000n : c == 1n ? 0x1000n : c == 2n ? 0x9ffen : 0x11000n;
    copyMem(BIG + dOff, BIG + sOff, n);
    // Byte k of the result is byte k - dOff + sOff of the pattern inside the range.
    for (let k: u64 = dOff; k < dOff + n; k += 0x101n) {
      const j: u64 = k - dOff + sOff;
      const want: u8 = u8(((j & 0xfff_fff8n) * 0x0001_0001_0001n + c) >> ((j & 7n) * 8n));
      if (load8(BIG + k) != want) bad++;
    }
    const last: u64 = dOff + n - 1n;
    const lj: u64 = last - dOff + sOff;
    if (load8(BIG + last) != u8(((lj & 0xfff_fff8n) * 0x0001_0001_0001n + c) >> ((lj & 7n) * 8n))) bad++;
    if (load64(BIG + 0x21ff8n) != 0x21ff8n * 0x0001_0001_0001n + c) bad++; // past every range
  }
  setMem(BIG + 0x3n, 0x20000n, 0x80n);
  for (let k: u64 = 0x3n; k < 0x20003n; k += 0x3fdn) if (load8(BIG + k) != 0x80n) bad++;
  if (load8(BIG) != 0x3n || load8(BIG + 0x2n) != 0n) bad++; // below: untouched (word 0 of case 3 is 3)
  if (load8(BIG + 0x20003n) == 0x80n) bad++;
  return bad;
}

export function main(): u64 {
  let cases: u64 = 0n;
  for (let n: u64 = 0n; n <= 0x46n; n += 3n) cases += 2n * (n + 2n);
  cases += 2n * 0x47n + 0x100n + 4n;
  const bad: u64 = overlaps() + alignments() + fills() + empties() + big();
  return cases + bad * 1_000_000n;
}
