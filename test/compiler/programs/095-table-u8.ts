// expect: 180004342807472638
// A table(1, …) of bytes walked with load8, including 0 and 255.
import { u64 } from '../../../templates/rt/types.ts';
import { table, load8 } from '../../../templates/rt/intrinsics.ts';

const T = table(1, [0n, 1n, 2n, 127n, 128n, 254n, 255n, 17n, 42n, 99n]);

export function main(): u64 {
  let s: u64 = 0n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 10n; i++) {
    s += u64(load8(T + i));
    h = h * 256n + u64(load8(T + i));
  }
  return s ^ h;
}
