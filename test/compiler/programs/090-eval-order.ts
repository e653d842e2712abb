// expect: 123456789239312
// Operands and arguments are evaluated left to right (side effects through a global).
import { u64 } from '../../../templates/rt/types.ts';

let log: u64 = 0n;

function t(v: u64): u64 {
  log = log * 10n + v;
  return v;
}
function three(a: u64, b: u64, c: u64): u64 {
  return a * 100n + b * 10n + c;
}

export function main(): u64 {
  const a: u64 = t(1n) - t(2n) * t(3n);
  const b: u64 = three(t(4n), t(5n), t(6n));
  const c: u64 = t(7n) < t(8n) ? t(9n) : t(1n);
  const d: u64 = three(t(2n) + t(3n), three(t(4n), t(5n), t(6n)), t(7n));
  return log ^ (a + b + c + d);
}
