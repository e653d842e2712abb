// Authenticode verification of a PE image in memory: the image hash the Authenticode PE
// specification defines (SHA-256 over the headers without CheckSum and the Certificate
// Table entry, the sections in file order, then what follows them except the certificate
// table), and each PKCS#7 signature of the certificate table until one proves that a
// trusted certificate signed that hash. Every offset the image gives is checked against
// its size first: a damaged or hostile image gets a failure code, never a read outside it.
import { u64, type ptr } from '../rt/types.ts';
import { ascii, load8, load64, store8, store64, struct, table, zeroed } from '../rt/intrinsics.ts';
import { sha256, sha256Final, sha256Init, sha256Update } from './sha256.ts';
import { DIGEST_SIZE, Signed, pkcs7Parse, signedField } from './pkcs7.ts';
import { TAG_SEQUENCE, derEnd, derExpect } from './der.ts';
import { Cert, certField, certIs, x509Parse } from './x509.ts';
import { RSA_OK, RSA_UNSUPPORTED, rsaVerify } from './rsa.ts';
import { chainTrusted } from './chain.ts';
import {
  SB_OK, SB_NO_SIGNATURE, SB_MALFORMED_IMAGE, SB_MALFORMED_SIGNATURE, SB_UNSUPPORTED, SB_SIGNER_MISSING,
  SB_DIGEST_MISMATCH, SB_BAD_RSA, SB_NOT_TRUSTED, SB_HASH_MISMATCH,
} from './status.ts';

/** What the hash needs of the headers, as offsets into the image. */
const Pe = struct({ checksum: u64, certDir: u64, headers: u64, sections: u64, count: u64, certOff: u64, certSize: u64 });
// zeroed() takes sizes of this module: Pe.$size, and the sizes pkcs7.ts (SIGNED_SIZE),
// x509.ts (CERT_SIZE), der.ts (DER_SIZE) and sha256.ts (SHA256_CTX_SIZE) export (the tests check).
const PE_SIZE: u64 = 56n;
const SIGNED_BYTES: u64 = 112n;
const CERT_BYTES: u64 = 136n;
const DER_BYTES: u64 = 40n;
const SHA256_CTX_BYTES: u64 = 112n;
const PE = zeroed(PE_SIZE, 8n);
const SIGNED = zeroed(SIGNED_BYTES, 8n);
const SIGNER = zeroed(CERT_BYTES, 8n);
const EL = zeroed(DER_BYTES, 8n);
const CTX = zeroed(SHA256_CTX_BYTES, 8n);
const DIGEST = zeroed(32n, 8n);
/** The image hash, computed once per verification when a signature first needs it. */
const IMAGE_HASH = zeroed(32n, 8n);
let imageHashed: u64 = 0n;
/** The tag byte the authenticated attributes are hashed with: SET OF, not [0] (RFC 2315 §9.3). */
const SET_TAG = table(1, [0x31n]);

const SECTION_HEADER: u64 = 40n;
/** The PE/COFF limit on sections, which also bounds the sorting below. */
const MAX_SECTIONS: u64 = 96n;
const WIN_CERT_REVISION_2_0: u64 = 0x200n;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA: u64 = 2n;

const M_OK = ascii('verified');
const M_NO_SIGNATURE = ascii('no signature');
const M_MALFORMED_IMAGE = ascii('malformed image');
const M_MALFORMED_SIGNATURE = ascii('malformed signature');
const M_UNSUPPORTED = ascii('unsupported algorithm');
const M_SIGNER_MISSING = ascii('signer certificate missing');
const M_DIGEST_MISMATCH = ascii('message digest mismatch');
const M_BAD_RSA = ascii('bad RSA signature');
const M_NOT_TRUSTED = ascii('signer not trusted');
const M_HASH_MISMATCH = ascii('image hash mismatch');
const M_UNKNOWN = ascii('unknown failure');

function pe(field: u64): u64 {
  return load64(PE + field);
}

function setPe(field: u64, v: u64): void {
  store64(PE + field, v);
}

/** `n` (up to 8) little-endian bytes at `p`, any alignment. */
function le(p: ptr, n: u64): u64 {
  let v: u64 = 0n;
  for (let i: u64 = n; i > 0n; i--) v = (v << 8n) | u64(load8(p + i - 1n));
  return v;
}

/** DOS and PE signatures, the optional header's kind and the data directory we need. */
function parseHeaders(image: ptr, size: u64): u64 {
  if (size < 0x40n || le(image, 2n) != 0x5a4dn) return SB_MALFORMED_IMAGE;
  const coff: u64 = le(image + 0x3cn, 4n) + 4n;
  if (coff + 20n > size || le(image + coff - 4n, 4n) != 0x4550n) return SB_MALFORMED_IMAGE;
  const opt: u64 = coff + 20n;
  const optSize: u64 = le(image + coff + 16n, 2n);
  if (optSize < 2n || opt + optSize > size) return SB_MALFORMED_IMAGE;
  const magic: u64 = le(image + opt, 2n);
  if (magic != 0x10bn && magic != 0x20bn) return SB_MALFORMED_IMAGE;
  // PE32 and PE32+ differ in where the data directories start
  const dirs: u64 = magic == 0x10bn ? opt + 96n : opt + 112n;
  if (dirs > opt + optSize) return SB_MALFORMED_IMAGE;
  // no Certificate Table directory (the fifth): nothing can be signed
  if (le(image + dirs - 4n, 4n) < 5n) return SB_NO_SIGNATURE;
  if (dirs + 40n > opt + optSize) return SB_MALFORMED_IMAGE;
  setPe(Pe.checksum, opt + 64n);
  setPe(Pe.certDir, dirs + 32n);
  setPe(Pe.headers, le(image + opt + 60n, 4n));
  setPe(Pe.sections, opt + optSize);
  setPe(Pe.count, le(image + coff + 2n, 2n));
  setPe(Pe.certOff, le(image + dirs + 32n, 4n));
  setPe(Pe.certSize, le(image + dirs + 36n, 4n));
  return SB_OK;
}

/** Section table inside the headers, section data and certificate table inside the file. */
function parseLayout(image: ptr, size: u64): u64 {
  const headers: u64 = pe(Pe.headers);
  if (headers > size || headers < pe(Pe.certDir) + 8n) return SB_MALFORMED_IMAGE;
  if (pe(Pe.count) > MAX_SECTIONS || pe(Pe.sections) + pe(Pe.count) * SECTION_HEADER > headers) return SB_MALFORMED_IMAGE;
  for (let i: u64 = 0n; i < pe(Pe.count); i++) {
    const h: ptr = image + pe(Pe.sections) + i * SECTION_HEADER;
    if (le(h + 16n, 4n) + le(h + 20n, 4n) > size) return SB_MALFORMED_IMAGE;
  }
  if (pe(Pe.certSize) != 0n && pe(Pe.certOff) < headers) return SB_MALFORMED_IMAGE;
  if (pe(Pe.certOff) + pe(Pe.certSize) > size) return SB_MALFORMED_IMAGE;
  return SB_OK;
}

/** A section's place in the hash order: PointerToRawData, then its index for equal ones. */
function sectionKey(image: ptr, i: u64): u64 {
  return le(image + pe(Pe.sections) + i * SECTION_HEADER + 20n, 4n) * 128n + i;
}

/** The index of the section whose key follows `after` (0: the first), or count when none is left. */
function nextSection(image: ptr, after: u64): u64 {
  let best: u64 = pe(Pe.count);
  let bestKey: u64 = 0n;
  for (let i: u64 = 0n; i < pe(Pe.count); i++) {
    const key: u64 = sectionKey(image, i) + 1n;
    if (key > after && (best == pe(Pe.count) || key < bestKey)) {
      best = i;
      bestKey = key;
    }
  }
  return best;
}

/** The Authenticode image hash of the parsed image, into IMAGE_HASH. */
function hashImage(image: ptr, size: u64): void {
  const checksum: u64 = pe(Pe.checksum);
  const certDir: u64 = pe(Pe.certDir);
  sha256Init(CTX);
  sha256Update(CTX, image, checksum);
  sha256Update(CTX, image + checksum + 4n, certDir - checksum - 4n);
  sha256Update(CTX, image + certDir + 8n, pe(Pe.headers) - certDir - 8n);
  let hashed: u64 = pe(Pe.headers);
  let after: u64 = 0n;
  for (let n: u64 = 0n; n < pe(Pe.count); n++) {
    const i: u64 = nextSection(image, after);
    const h: ptr = image + pe(Pe.sections) + i * SECTION_HEADER;
    sha256Update(CTX, image + le(h + 20n, 4n), le(h + 16n, 4n));
    hashed += le(h + 16n, 4n);
    after = sectionKey(image, i) + 1n;
  }
  // whatever follows, except the certificate table (the spec's SUM_OF_BYTES_HASHED rule)
  const rest: u64 = size - pe(Pe.certSize);
  if (rest > hashed) sha256Update(CTX, image + hashed, rest - hashed);
  sha256Final(CTX, IMAGE_HASH);
}

/** Finds the signer's certificate among the SignedData's certificates, into SIGNER. */
function findSigner(): u64 {
  const end: ptr = signedField(SIGNED, Signed.certsEnd);
  for (let p: ptr = signedField(SIGNED, Signed.certs); p < end; p = derEnd(EL)) {
    if (!derExpect(EL, p, end, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
    if (!x509Parse(SIGNER, p, derEnd(EL))) continue;
    if (certIs(SIGNER, signedField(SIGNED, Signed.issuer), signedField(SIGNED, Signed.issuerSize),
      signedField(SIGNED, Signed.serial), signedField(SIGNED, Signed.serialSize))) return SB_OK;
  }
  return SB_SIGNER_MISSING;
}

/** Whether the `n` bytes at `a` and `b` are equal, looking at every byte. */
function sameDigest(a: ptr, b: ptr): boolean {
  let diff: u64 = 0n;
  for (let i: u64 = 0n; i < DIGEST_SIZE; i++) diff = diff | u64(load8(a + i) ^ load8(b + i));
  return diff == 0n;
}

/** The signer's RSA signature over the authenticated attributes, re-tagged as a SET. */
function checkSignerSignature(): u64 {
  const attrs: ptr = signedField(SIGNED, Signed.attrs);
  sha256Init(CTX);
  sha256Update(CTX, SET_TAG, 1n);
  sha256Update(CTX, attrs + 1n, signedField(SIGNED, Signed.attrsSize) - 1n);
  sha256Final(CTX, DIGEST);
  const r: u64 = rsaVerify(certField(SIGNER, Cert.modulus), certField(SIGNER, Cert.modulusSize), certField(SIGNER, Cert.exponent),
    signedField(SIGNED, Signed.sig), signedField(SIGNED, Signed.sigSize), DIGEST);
  if (r == RSA_UNSUPPORTED) return SB_UNSUPPORTED;
  return r == RSA_OK ? SB_OK : SB_BAD_RSA;
}

/** One PKCS#7 signature, bCertificate at [p, end): the checks in the order of their codes. */
function verifySignature(p: ptr, end: ptr, trust: ptr, image: ptr, size: u64): u64 {
  let status: u64 = pkcs7Parse(SIGNED, p, end);
  if (status == SB_OK) status = findSigner();
  if (status != SB_OK) return status;
  if (certField(SIGNER, Cert.modulusSize) == 0n) return SB_UNSUPPORTED;
  sha256(signedField(SIGNED, Signed.content), signedField(SIGNED, Signed.contentSize), DIGEST);
  if (!sameDigest(DIGEST, signedField(SIGNED, Signed.messageDigest))) return SB_DIGEST_MISMATCH;
  status = checkSignerSignature();
  if (status != SB_OK) return status;
  if (!chainTrusted(SIGNER, signedField(SIGNED, Signed.certs), signedField(SIGNED, Signed.certsEnd), trust)) return SB_NOT_TRUSTED;
  if (imageHashed == 0n) hashImage(image, size);
  imageHashed = 1n;
  return sameDigest(IMAGE_HASH, signedField(SIGNED, Signed.imageDigest)) ? SB_OK : SB_HASH_MISMATCH;
}

/**
 * Verifies the Authenticode signatures of the PE image at [image, image + size) against
 * the trust list at `trust` (chain.ts describes it). Each WIN_CERTIFICATE of type PKCS#7
 * is tried in turn; SB_OK (0) as soon as one verifies, else the most specific failure
 * (the highest code, status.ts), which authenticodeFailure names.
 */
export function authenticodeVerify(image: ptr, size: u64, trust: ptr): u64 {
  imageHashed = 0n;
  let status: u64 = parseHeaders(image, size);
  if (status == SB_OK) status = parseLayout(image, size);
  if (status != SB_OK) return status;
  if (pe(Pe.certSize) == 0n) return SB_NO_SIGNATURE;
  let best: u64 = SB_NO_SIGNATURE;
  const end: u64 = pe(Pe.certOff) + pe(Pe.certSize);
  let at: u64 = pe(Pe.certOff);
  while (at + 8n <= end) {
    const length: u64 = le(image + at, 4n);
    if (length < 8n || length > end - at) return best > SB_MALFORMED_SIGNATURE ? best : SB_MALFORMED_SIGNATURE;
    if (le(image + at + 4n, 2n) == WIN_CERT_REVISION_2_0 && le(image + at + 6n, 2n) == WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
      const r: u64 = verifySignature(image + at + 8n, image + at + length, trust, image, size);
      if (r == SB_OK) return SB_OK;
      if (r > best) best = r;
    }
    at = (at + length + 7n) & ~7n; // entries are 8-byte aligned
  }
  return best;
}

/** A NUL-terminated ASCII name of the check a code of authenticodeVerify failed. */
export function authenticodeFailure(code: u64): ptr {
  switch (code) {
    case SB_OK: return M_OK;
    case SB_NO_SIGNATURE: return M_NO_SIGNATURE;
    case SB_MALFORMED_IMAGE: return M_MALFORMED_IMAGE;
    case SB_MALFORMED_SIGNATURE: return M_MALFORMED_SIGNATURE;
    case SB_UNSUPPORTED: return M_UNSUPPORTED;
    case SB_SIGNER_MISSING: return M_SIGNER_MISSING;
    case SB_DIGEST_MISMATCH: return M_DIGEST_MISMATCH;
    case SB_BAD_RSA: return M_BAD_RSA;
    case SB_NOT_TRUSTED: return M_NOT_TRUSTED;
    case SB_HASH_MISMATCH: return M_HASH_MISMATCH;
    default: return M_UNKNOWN;
  }
}

/** The image hash alone, signed or not (for the tests): SB_OK and the 32 bytes at `out`, or the header failure. */
export function authenticodeImageHash(image: ptr, size: u64, out: ptr): u64 {
  let status: u64 = parseHeaders(image, size);
  if (status == SB_OK) status = parseLayout(image, size);
  if (status != SB_OK) return status;
  hashImage(image, size);
  for (let i: u64 = 0n; i < 32n; i++) store8(out + i, load8(IMAGE_HASH + i));
  return SB_OK;
}
