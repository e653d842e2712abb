// expect: 1081094808134208789
// ascii() strings walked byte by byte: strlen, checksum, counting characters, NUL terminator.
import { u8, u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const HELLO = ascii('Hello, UEFI world!');
const EMPTY = ascii('');
const DIGITS = ascii('0123456789');

function strlen(s: ptr): u64 {
  let n: u64 = 0n;
  while (load8(s + n) != 0n) n++;
  return n;
}

function sum8(s: ptr): u8 {
  let c: u8 = 0n;
  for (let i: u64 = 0n; load8(s + i) != 0n; i++) c += load8(s + i);
  return c;
}

function count(s: ptr, ch: u8): u64 {
  let n: u64 = 0n;
  let i: u64 = 0n;
  while (true) {
    const c: u8 = load8(s + i);
    if (c == 0n) break;
    if (c == ch) n++;
    i++;
  }
  return n;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (strlen(HELLO) == 18n) r |= 1n;
  if (strlen(EMPTY) == 0n) r |= 2n;
  if (load8(HELLO) == 72n && load8(HELLO + 17n) == 33n && load8(HELLO + 18n) == 0n) r |= 4n;
  if (count(HELLO, 108n) == 3n && count(HELLO, 111n) == 2n) r |= 8n;
  let v: u64 = 0n;
  for (let i: u64 = 0n; i < strlen(DIGITS); i++) v = v * 10n + u64(load8(DIGITS + i) - 48n);
  return (r << 56n) + (u64(sum8(HELLO)) << 40n) + v;
}
