// expect: 1752753479819717266
// More live locals than either architecture has registers; all stay live across calls.
import { u64 } from '../../../templates/rt/types.ts';

function id(x: u64): u64 {
  return x;
}

export function main(): u64 {
  let a0: u64 = id(1n);
  let a1: u64 = id(2n);
  let a2: u64 = id(3n);
  let a3: u64 = id(5n);
  let a4: u64 = id(7n);
  let a5: u64 = id(11n);
  let a6: u64 = id(13n);
  let a7: u64 = id(17n);
  let a8: u64 = id(19n);
  let a9: u64 = id(23n);
  let b0: u64 = id(29n);
  let b1: u64 = id(31n);
  let b2: u64 = id(37n);
  let b3: u64 = id(41n);
  let b4: u64 = id(43n);
  let b5: u64 = id(47n);
  let b6: u64 = id(53n);
  let b7: u64 = id(59n);
  let b8: u64 = id(61n);
  let b9: u64 = id(67n);
  let c0: u64 = id(71n);
  let c1: u64 = id(73n);
  let c2: u64 = id(79n);
  let c3: u64 = id(83n);
  let c4: u64 = id(89n);
  let c5: u64 = id(97n);
  let c6: u64 = id(101n);
  let c7: u64 = id(103n);
  let c8: u64 = id(107n);
  let c9: u64 = id(109n);
  for (let i: u64 = 0n; i < 20n; i++) {
    a0 = a0 * 3n + c9;
    a1 = a1 ^ id(a0);
    a2 = a2 + a1 * b0;
    a3 = a3 - a2;
    a4 = a4 * a3 + 1n;
    a5 = a5 ^ (a4 >> 7n);
    a6 = a6 + id(a5);
    a7 = a7 * 5n + a6;
    a8 = a8 ^ a7;
    a9 = a9 + a8 * b1;
    b0 = b0 + id(a9);
    b1 = b1 ^ (b0 << 3n);
    b2 = b2 + b1;
    b3 = b3 * 7n + b2;
    b4 = b4 ^ b3;
    b5 = b5 + id(b4);
    b6 = b6 - b5;
    b7 = b7 ^ (b6 >> 11n);
    b8 = b8 + b7;
    b9 = b9 * 9n + b8;
    c0 = c0 ^ b9;
    c1 = c1 + id(c0);
    c2 = c2 * 3n + c1;
    c3 = c3 ^ c2;
    c4 = c4 + c3;
    c5 = c5 - id(c4);
    c6 = c6 ^ (c5 << 1n);
    c7 = c7 + c6;
    c8 = c8 * 11n + c7;
    c9 = c9 ^ id(c8);
  }
  return a0 ^ a1 ^ a2 ^ a3 ^ a4 ^ a5 ^ a6 ^ a7 ^ a8 ^ a9 ^ b0 ^ b1 ^ b2 ^ b3 ^ b4 ^ b5 ^ b6 ^ b7 ^ b8 ^ b9 ^
    c0 ^ c1 ^ c2 ^ c3 ^ c4 ^ c5 ^ c6 ^ c7 ^ c8 ^ c9;
}
