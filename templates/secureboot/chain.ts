// Whether a signer certificate is trusted: it is one of the trusted certificates (same
// DER bytes), or a trusted certificate signed it, or it chains there through at most
// MAX_INTERMEDIATES CA certificates taken from the signature's own certificates.
//
// The trust list (written by `gen-purgatory wrap --trust`) is a sequence of entries,
// each a u32 little-endian length N, N bytes of one DER X.509 certificate, then zero
// padding to the next 8-byte boundary (counted from the list's start); a length of 0
// ends the list.
import { u64, type ptr } from '../rt/types.ts';
import { load8, load64, store64, zeroed } from '../rt/intrinsics.ts';
import { TAG_SEQUENCE, derEnd, derExpect } from './der.ts';
import { Cert, certField, certIssuedBy, certSame, certVerifySignature, x509Parse } from './x509.ts';

/** CA certificates allowed between the signer and a trusted certificate. */
const MAX_INTERMEDIATES: u64 = 4n;
/** Bounds on the trust list, so that a damaged one cannot make us walk memory for long. */
const MAX_TRUSTED: u64 = 64n;
const MAX_CERT_BYTES: u64 = 0x10000n;

// zeroed() takes sizes of this module: x509.ts's CERT_SIZE and der.ts's DER_SIZE (the tests check).
const CERT_BYTES: u64 = 136n;
const DER_BYTES: u64 = 40n;
/** The certificate the chain has reached, a trusted one, and a candidate issuer. */
const CUR = zeroed(CERT_BYTES, 8n);
const TRUSTED = zeroed(CERT_BYTES, 8n);
const CANDIDATE = zeroed(CERT_BYTES, 8n);
const EL = zeroed(DER_BYTES, 8n);

/** A little-endian u32 at any alignment. */
function le32(p: ptr): u64 {
  return u64(load8(p)) | (u64(load8(p + 1n)) << 8n) | (u64(load8(p + 2n)) << 16n) | (u64(load8(p + 3n)) << 24n);
}

function copyCert(dst: ptr, src: ptr): void {
  for (let i: u64 = 0n; i < CERT_BYTES; i += 8n) store64(dst + i, load64(src + i));
}

/** Whether `c` is a trusted certificate, or one of them verifiably issued it. */
function trustedDirectly(c: ptr, trust: ptr): boolean {
  let at: u64 = 0n;
  for (let i: u64 = 0n; i < MAX_TRUSTED; i++) {
    const n: u64 = le32(trust + at);
    if (n == 0n || n > MAX_CERT_BYTES) return false;
    const p: ptr = trust + at + 4n;
    // an entry we cannot parse is skipped: it can match nothing
    if (x509Parse(TRUSTED, p, p + n)) {
      if (certSame(c, TRUSTED)) return true;
      if (certIssuedBy(c, TRUSTED) && certVerifySignature(c, TRUSTED)) return true;
    }
    at = (at + 4n + n + 7n) & ~7n;
  }
  return false;
}

/**
 * Finds among the certificates [certs, certsEnd) a CA that issued CUR and whose key
 * verifies it, and makes it CUR. False when there is none.
 */
function climb(certs: ptr, certsEnd: ptr): boolean {
  for (let p: ptr = certs; p < certsEnd; p = derEnd(EL)) {
    if (!derExpect(EL, p, certsEnd, TAG_SEQUENCE)) return false;
    if (!x509Parse(CANDIDATE, p, derEnd(EL))) continue;
    if (certField(CANDIDATE, Cert.isCa) == 0n || certSame(CANDIDATE, CUR)) continue;
    if (!certIssuedBy(CUR, CANDIDATE) || !certVerifySignature(CUR, CANDIDATE)) continue;
    copyCert(CUR, CANDIDATE);
    return true;
  }
  return false;
}

/** Whether the parsed certificate `signer` is trusted through the list at `trust`. */
export function chainTrusted(signer: ptr, certs: ptr, certsEnd: ptr, trust: ptr): boolean {
  copyCert(CUR, signer);
  let depth: u64 = 0n;
  while (!trustedDirectly(CUR, trust)) {
    if (depth == MAX_INTERMEDIATES || !climb(certs, certsEnd)) return false;
    depth++;
  }
  return true;
}

/** The number of entries of the trust list at `trust` (for the tests and messages). */
export function trustCount(trust: ptr): u64 {
  let at: u64 = 0n;
  let i: u64 = 0n;
  while (i < MAX_TRUSTED && le32(trust + at) != 0n && le32(trust + at) <= MAX_CERT_BYTES) {
    at = (at + 4n + le32(trust + at) + 7n) & ~7n;
    i++;
  }
  return i;
}

