// expect: 34744121165925
// Knuth-Morris-Pratt substring search over ascii text, the failure table in zeroed memory.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, zeroed, load8, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const TEXT = ascii('console=ttyS0,115200 console=tty0 root=/dev/vda1 console=hvc0 quiet');
const PAT = ascii('console=');
const PAT2 = ascii('abab');
const TEXT2 = ascii('abababcabababab');
const FAIL = zeroed(8n * 32n);

function len(p: ptr): u64 {
  let n: u64 = 0n;
  while (load8(p + n) != 0n) n++;
  return n;
}
function build(p: ptr, m: u64): void {
  store64(FAIL, 0n);
  let k: u64 = 0n;
  for (let i: u64 = 1n; i < m; i++) {
    while (k > 0n && load8(p + i) != load8(p + k)) k = load64(FAIL + (k - 1n) * 8n);
    if (load8(p + i) == load8(p + k)) k++;
    store64(FAIL + i * 8n, k);
  }
}
function search(t: ptr, p: ptr): u64 {
  const m: u64 = len(p);
  const n: u64 = len(t);
  build(p, m);
  let found: u64 = 0n;
  let k: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) {
    while (k > 0n && load8(t + i) != load8(p + k)) k = load64(FAIL + (k - 1n) * 8n);
    if (load8(t + i) == load8(p + k)) k++;
    if (k == m) {
      found = found * 100n + (i + 1n - m);
      k = load64(FAIL + (k - 1n) * 8n);
    }
  }
  return found;
}

export function main(): u64 {
  return search(TEXT, PAT) ^ (search(TEXT2, PAT2) << 24n);
}
