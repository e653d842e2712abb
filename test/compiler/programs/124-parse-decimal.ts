// expect: 14559184302397148376
// Parsing numbers from ascii text (a kernel command line), with overflow detection.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const CMDLINE = ascii('mem=4096M loglevel=7 x=18446744073709551615 y=18446744073709551616 hex=0x1F');
let overflow: u64 = 0n;

function isDigit(c: u8): boolean {
  return c >= 48n && c <= 57n;
}

function parseAt(p: ptr): u64 {
  let v: u64 = 0n;
  if (load8(p) == 48n && load8(p + 1n) == 120n) {
    let i: u64 = 2n;
    while (true) {
      const c: u8 = load8(p + i);
      let d: u64 = 16n;
      if (isDigit(c)) d = u64(c - 48n);
      else if (c >= 65n && c <= 70n) d = u64(c - 55n);
      else if (c >= 97n && c <= 102n) d = u64(c - 87n);
      if (d == 16n) break;
      v = (v << 4n) | d;
      i++;
    }
    return v;
  }
  for (let i: u64 = 0n; isDigit(load8(p + i)); i++) {
    const d: u64 = u64(load8(p + i) - 48n);
    if (v > (0xffffffffffffffffn - d) / 10n) overflow++;
    v = v * 10n + d;
  }
  return v;
}

export function main(): u64 {
  let h: u64 = 0n;
  let i: u64 = 0n;
  while (load8(CMDLINE + i) != 0n) {
    if (load8(CMDLINE + i) == 61n) h = h * 1000003n + parseAt(CMDLINE + i + 1n);
    i++;
  }
  return h ^ (overflow << 60n) ^ i;
}
