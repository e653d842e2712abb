// expect: -464744041709612616
// strcmp / strncmp over ascii strings, and a case-insensitive compare (StriCmp).
import { u8, u64, i64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const A = ascii('console=ttyS0');
const B = ascii('console=ttyAMA0');
const C = ascii('CONSOLE=TTYS0');
const D = ascii('console');

function strcmp(a: ptr, b: ptr): i64 {
  let i: u64 = 0n;
  while (load8(a + i) != 0n && load8(a + i) == load8(b + i)) i++;
  return i64(load8(a + i)) - i64(load8(b + i));
}
function lower(c: u8): u8 {
  return c >= 65n && c <= 90n ? c + 32n : c;
}
function stricmp(a: ptr, b: ptr): i64 {
  let i: u64 = 0n;
  while (load8(a + i) != 0n && lower(load8(a + i)) == lower(load8(b + i))) i++;
  return i64(lower(load8(a + i))) - i64(lower(load8(b + i)));
}
function strncmp(a: ptr, b: ptr, n: u64): i64 {
  for (let i: u64 = 0n; i < n; i++) {
    const x: u8 = load8(a + i);
    const y: u8 = load8(b + i);
    if (x != y) return i64(x) - i64(y);
    if (x == 0n) return 0n;
  }
  return 0n;
}

export function main(): i64 {
  let s: i64 = 0n;
  s = s * 1000n + strcmp(A, B);
  s = s * 1000n + strcmp(B, A);
  s = s * 1000n + strcmp(A, A);
  s = s * 1000n + strcmp(A, C);
  s = s * 1000n + stricmp(A, C);
  s = s * 1000n + strcmp(D, A);
  s = s * 1000n + strncmp(D, A, 7n);
  return s;
}
