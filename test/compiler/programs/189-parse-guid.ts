// expect: 12963935153731282140
// Parsing a GUID from its registry text form (ascii) into 16 bytes in EFI layout, and comparing
// with the guid() intrinsic's bytes.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, guid, zeroed, load8, store8 } from '../../../templates/rt/intrinsics.ts';

const TEXT = ascii('8be4df61-93ca-11d2-aa0d-00e098032b8c');
const BAD = ascii('8be4df61-93ca-11d2-aa0d-00e098032b8g');
const GLOBAL_VARIABLE = guid('8be4df61-93ca-11d2-aa0d-00e098032b8c');
const OUT = zeroed(16n);

function hexval(c: u8): u64 {
  if (c >= 48n && c <= 57n) return u64(c - 48n);
  if (c >= 97n && c <= 102n) return u64(c - 87n);
  if (c >= 65n && c <= 70n) return u64(c - 55n);
  return 0xffn;
}
function hexAt(s: ptr, i: u64, n: u64): u64 {
  let v: u64 = 0n;
  for (let k: u64 = 0n; k < n; k++) {
    const d: u64 = hexval(load8(s + i + k));
    if (d == 0xffn) return 0xffffffffffffffffn;
    v = (v << 4n) | d;
  }
  return v;
}
function parse(s: ptr, out: ptr): boolean {
  if (load8(s + 8n) != 45n || load8(s + 13n) != 45n || load8(s + 18n) != 45n || load8(s + 23n) != 45n) return false;
  const d1: u64 = hexAt(s, 0n, 8n);
  const d2: u64 = hexAt(s, 9n, 4n);
  const d3: u64 = hexAt(s, 14n, 4n);
  if (d1 == 0xffffffffffffffffn || d2 == 0xffffffffffffffffn || d3 == 0xffffffffffffffffn) return false;
  for (let i: u64 = 0n; i < 4n; i++) store8(out + i, u8(d1 >> (i * 8n)));
  for (let i: u64 = 0n; i < 2n; i++) {
    store8(out + 4n + i, u8(d2 >> (i * 8n)));
    store8(out + 6n + i, u8(d3 >> (i * 8n)));
  }
  for (let i: u64 = 0n; i < 8n; i++) {
    const at: u64 = i < 2n ? 19n + i * 2n : 24n + (i - 2n) * 2n;
    const b: u64 = hexAt(s, at, 2n);
    if (b == 0xffffffffffffffffn) return false;
    store8(out + 8n + i, u8(b));
  }
  return true;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (parse(TEXT, OUT)) r |= 1n;
  let same: u64 = 1n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 16n; i++) {
    if (load8(OUT + i) != load8(GLOBAL_VARIABLE + i)) same = 0n;
    h = h * 263n + u64(load8(OUT + i));
  }
  if (same == 1n) r |= 2n;
  if (!parse(BAD, OUT)) r |= 4n;
  return (r << 61n) ^ h;
}
