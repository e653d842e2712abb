// The payload checks of the handoff block (docs/handoff.md): a loader that silently
// truncates or damages a segment must not get a half-loaded kernel started. FNV-1a-64
// over 64-bit words is an integrity check, not an authentication, and cheap enough to
// run over a 27 MB kernel on every boot (with the MMU and caches on). A check with a
// trust list then verifies the payload's signature (payloadverify.ts).
import { u64, type ptr } from './rt/types.ts';
import { load8, load32, load64, struct, ascii } from './rt/intrinsics.ts';
import { Handoff } from './handoff.ts';
import { fail, noteValue } from './fail.ts';
import { verifyPayload } from './payloadverify.ts';

/**
 * One check entry: the 48-byte digest slot of the handoff block. `trust`, when not 0, is
 * a trust list the payload's Authenticode signature must chain to (docs/secure-boot.md).
 */
export const PayloadCheck = struct({ addr: u64, size: u64, fnv: u64, trust: u64, reserved1: u64, reserved2: u64 });
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325n;
const PRIME: u64 = 0x100_0000_01b3n;

const E_CHECK = ascii('payload check failed (damaged or truncated load): FNV-1a-64 of the segment at');
const E_GOT = ascii('payload check: computed');

/** FNV-1a-64 over the little-endian 64-bit words of [p, p + n), the last one zero-padded; p 8-aligned. */
export function fnv64(p: ptr, n: u64): u64 {
  let h: u64 = OFFSET;
  const end: ptr = p + (n & ~7n);
  for (let q: ptr = p; q < end; q += 8n) h = (h ^ load64(q)) * PRIME;
  const tail: u64 = n & 7n;
  if (tail == 0n) return h;
  let w: u64 = 0n;
  for (let j: u64 = 0n; j < tail; j++) w = w | (u64(load8(end + j)) << (j * 8n));
  return (h ^ w) * PRIME;
}

/** Verifies every check entry of the block; a mismatch stops the machine. */
export function checkPayloads(h: ptr): void {
  const n: u64 = u64(load32(h + Handoff.digestCount));
  const first: ptr = h + load64(h + Handoff.digestsOffset);
  for (let i: u64 = 0n; i < n; i++) {
    const c: ptr = first + i * PayloadCheck.$size;
    const got: u64 = fnv64(load64(c + PayloadCheck.addr), load64(c + PayloadCheck.size));
    if (got != load64(c + PayloadCheck.fnv)) {
      noteValue(E_GOT, got);
      fail(E_CHECK, load64(c + PayloadCheck.addr));
    }
    // Secure Boot after the integrity check: a damaged load is reported as such.
    const trust: ptr = load64(c + PayloadCheck.trust);
    if (trust != 0n) verifyPayload(load64(c + PayloadCheck.addr), load64(c + PayloadCheck.size), trust);
  }
}
