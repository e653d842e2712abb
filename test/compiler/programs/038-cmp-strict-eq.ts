// expect: 16137
// === and !== behave as == and != on same-typed integers.
import { u32, i16, u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let r: u64 = 0n;
  const a: u32 = 0xffffffffn;
  const b: u32 = 0n;
  if (a === 0xffffffffn) r |= 1n;
  if (a !== b) r |= 2n;
  if (b - 1n === a) r |= 4n;
  const s: i16 = -1n;
  if (s === -1n) r |= 8n;
  if (!(s !== -1n)) r |= 16n;
  if (s + 1n === 0n) r |= 32n;
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < 10n; i++) if (i % 3n === 0n || i !== 7n) n++;
  return (r << 8n) | n;
}
