// PKCS#7 SignedData (RFC 2315 §9.1) as Authenticode uses it: the content is an
// SpcIndirectDataContent holding the PE image's SHA-256 in a DigestInfo, exactly one
// SignerInfo names its certificate by issuer and serial number, and its authenticated
// attributes carry the content type and the messageDigest of the content. pkcs7Parse
// finds those pieces and checks their shape and algorithms; authenticode.ts checks
// what they say.
import { u64, type ptr } from '../rt/types.ts';
import { load64, store64, struct, table, zeroed } from '../rt/intrinsics.ts';
import {
  TAG_CTX0, TAG_CTX1, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, TAG_SET,
  derBody, derEnd, derExpect, derFirst, derHasNext, derIsOid, derLen, derNext, derRead, derSize, derStart, derTag,
} from './der.ts';
import { OID_RSA_ENCRYPTION, OID_SHA256_RSA } from './x509.ts';
import { SB_OK, SB_MALFORMED_SIGNATURE, SB_UNSUPPORTED } from './status.ts';

/** The pieces of one signature; ranges are addresses and byte counts. */
export const Signed = struct({
  content: u64, contentSize: u64, // SpcIndirectDataContent's content octets: what messageDigest covers
  imageDigest: u64, // the 32-byte PE image hash in the content's DigestInfo
  certs: u64, certsEnd: u64, // certificates [0]: DER certificates back to back (empty when absent)
  issuer: u64, issuerSize: u64, serial: u64, serialSize: u64, // the SignerInfo's issuerAndSerialNumber
  attrs: u64, attrsSize: u64, // authenticatedAttributes, header included (signed re-tagged as a SET)
  messageDigest: u64, // the 32-byte messageDigest attribute
  sig: u64, sigSize: u64, // encryptedDigest
});
/** Signed.$size, spelled out for zeroed(): 14 fields of 8 bytes. */
export const SIGNED_SIZE: u64 = 112n;
export const DIGEST_SIZE: u64 = 32n;

const OID_SIGNED_DATA = table(1, [9n, 0x2an, 0x86n, 0x48n, 0x86n, 0xf7n, 0x0dn, 0x01n, 0x07n, 0x02n]);
const OID_SPC_INDIRECT_DATA = table(1, [10n, 0x2bn, 0x06n, 0x01n, 0x04n, 0x01n, 0x82n, 0x37n, 0x02n, 0x01n, 0x04n]);
const OID_SHA256 = table(1, [9n, 0x60n, 0x86n, 0x48n, 0x01n, 0x65n, 0x03n, 0x04n, 0x02n, 0x01n]);
const OID_CONTENT_TYPE = table(1, [9n, 0x2an, 0x86n, 0x48n, 0x86n, 0xf7n, 0x0dn, 0x01n, 0x09n, 0x03n]);
const OID_MESSAGE_DIGEST = table(1, [9n, 0x2an, 0x86n, 0x48n, 0x86n, 0xf7n, 0x0dn, 0x01n, 0x09n, 0x04n]);

/** Elements, outermost first: ContentInfo, SignedData, its current field, and three levels below. */
/** der.ts's DER_SIZE: zeroed() takes sizes of this module (the tests check). */
const DER_BYTES: u64 = 40n;
const INFO = zeroed(DER_BYTES, 8n);
const DATA = zeroed(DER_BYTES, 8n);
const FIELD = zeroed(DER_BYTES, 8n);
const A = zeroed(DER_BYTES, 8n);
const B = zeroed(DER_BYTES, 8n);
const C = zeroed(DER_BYTES, 8n);

function set(s: ptr, field: u64, v: u64): void {
  store64(s + field, v);
}

export function signedField(s: ptr, field: u64): u64 {
  return load64(s + field);
}

/** AlgorithmIdentifier `alg` names SHA-256 (its parameters, NULL or absent, are not used). */
function isSha256(alg: ptr): boolean {
  return derFirst(C, alg, TAG_OID) && derIsOid(C, OID_SHA256);
}

/** contentInfo (FIELD): SpcIndirectDataContent { data, DigestInfo { SHA-256, digest } }. */
function parseContent(s: ptr): u64 {
  if (!derFirst(A, FIELD, TAG_OID) || !derIsOid(A, OID_SPC_INDIRECT_DATA)) return SB_MALFORMED_SIGNATURE;
  if (!derNext(A, FIELD, TAG_CTX0) || !derFirst(B, A, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.content, derBody(B));
  set(s, Signed.contentSize, derLen(B));
  if (!derFirst(A, B, TAG_SEQUENCE) || !derNext(A, B, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (!derFirst(B, A, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (!isSha256(B)) return SB_UNSUPPORTED;
  if (!derNext(B, A, TAG_OCTET_STRING) || derLen(B) != DIGEST_SIZE) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.imageDigest, derBody(B));
  return SB_OK;
}

/** One Attribute (A): type and a SET of exactly one value (B), which must be `tag`. */
function attributeValue(tag: u64): boolean {
  if (!derNext(B, A, TAG_SET) || derHasNext(B, A)) return false;
  return derExpect(B, derBody(B), derEnd(B), tag) && derEnd(B) == derEnd(C);
}

/**
 * authenticatedAttributes (FIELD): exactly one contentType, the SpcIndirectDataContent
 * type, and exactly one messageDigest of 32 bytes; others are allowed.
 */
function parseAttributes(s: ptr): u64 {
  let seen: u64 = 0n;
  for (let p: ptr = derBody(FIELD); p < derEnd(FIELD); p = derEnd(A)) {
    if (!derExpect(A, p, derEnd(FIELD), TAG_SEQUENCE) || !derFirst(B, A, TAG_OID)) return SB_MALFORMED_SIGNATURE;
    if (!derRead(C, derEnd(B), derEnd(A))) return SB_MALFORMED_SIGNATURE; // C: the value SET, to bound it
    if (derIsOid(B, OID_CONTENT_TYPE)) {
      if ((seen & 1n) != 0n || !attributeValue(TAG_OID) || !derIsOid(B, OID_SPC_INDIRECT_DATA)) return SB_MALFORMED_SIGNATURE;
      seen = seen | 1n;
    } else if (derIsOid(B, OID_MESSAGE_DIGEST)) {
      if ((seen & 2n) != 0n || !attributeValue(TAG_OCTET_STRING) || derLen(B) != DIGEST_SIZE) return SB_MALFORMED_SIGNATURE;
      set(s, Signed.messageDigest, derBody(B));
      seen = seen | 2n;
    }
  }
  return seen == 3n ? SB_OK : SB_MALFORMED_SIGNATURE;
}

/** The one SignerInfo (FIELD): version, issuerAndSerialNumber, algorithms, attributes, signature. */
function parseSigner(s: ptr): u64 {
  const end: ptr = derEnd(FIELD);
  if (!derFirst(A, FIELD, TAG_INTEGER) || !derNext(A, FIELD, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (!derFirst(B, A, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.issuer, derStart(B));
  set(s, Signed.issuerSize, derSize(B));
  if (!derNext(B, A, TAG_INTEGER)) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.serial, derStart(B));
  set(s, Signed.serialSize, derSize(B));
  if (!derNext(A, FIELD, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (!isSha256(A)) return SB_UNSUPPORTED;
  // authenticatedAttributes [0] IMPLICIT: Authenticode requires them
  if (!derExpect(FIELD, derEnd(A), end, TAG_CTX0)) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.attrs, derStart(FIELD));
  set(s, Signed.attrsSize, derSize(FIELD));
  const status: u64 = parseAttributes(s);
  if (status != SB_OK) return status;
  if (!derExpect(A, derEnd(FIELD), end, TAG_SEQUENCE) || !derFirst(B, A, TAG_OID)) return SB_MALFORMED_SIGNATURE;
  if (!derIsOid(B, OID_RSA_ENCRYPTION) && !derIsOid(B, OID_SHA256_RSA)) return SB_UNSUPPORTED;
  if (!derExpect(A, derEnd(A), end, TAG_OCTET_STRING)) return SB_MALFORMED_SIGNATURE;
  set(s, Signed.sig, derBody(A));
  set(s, Signed.sigSize, derLen(A));
  return SB_OK; // unauthenticatedAttributes [1] may follow: nothing here relies on them
}

/** After contentInfo (FIELD): certificates [0] and crls [1] if present, then signerInfos. */
function parseRest(s: ptr): u64 {
  set(s, Signed.certs, 0n);
  set(s, Signed.certsEnd, 0n);
  if (!derRead(FIELD, derEnd(FIELD), derEnd(DATA))) return SB_MALFORMED_SIGNATURE;
  if (derTag(FIELD) == TAG_CTX0) {
    set(s, Signed.certs, derBody(FIELD));
    set(s, Signed.certsEnd, derEnd(FIELD));
    if (!derRead(FIELD, derEnd(FIELD), derEnd(DATA))) return SB_MALFORMED_SIGNATURE;
  }
  if (derTag(FIELD) == TAG_CTX1 && !derRead(FIELD, derEnd(FIELD), derEnd(DATA))) return SB_MALFORMED_SIGNATURE;
  if (derTag(FIELD) != TAG_SET || derHasNext(FIELD, DATA)) return SB_MALFORMED_SIGNATURE;
  // Authenticode: exactly one SignerInfo
  if (!derFirst(FIELD, FIELD, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (derEnd(FIELD) != derEnd(DATA)) return SB_MALFORMED_SIGNATURE;
  return parseSigner(s);
}

/**
 * Parses the ContentInfo at `p` (bCertificate of a WIN_CERTIFICATE, which may be padded
 * past the DER up to `end`) into the Signed record at `s`: SB_OK,
 * SB_MALFORMED_SIGNATURE or SB_UNSUPPORTED.
 */
export function pkcs7Parse(s: ptr, p: ptr, end: ptr): u64 {
  if (!derExpect(INFO, p, end, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  if (!derFirst(A, INFO, TAG_OID) || !derIsOid(A, OID_SIGNED_DATA)) return SB_MALFORMED_SIGNATURE;
  if (!derNext(A, INFO, TAG_CTX0) || !derFirst(DATA, A, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  // SignedData: version, digestAlgorithms, contentInfo, …
  if (!derFirst(FIELD, DATA, TAG_INTEGER) || !derNext(FIELD, DATA, TAG_SET)) return SB_MALFORMED_SIGNATURE;
  if (!derNext(FIELD, DATA, TAG_SEQUENCE)) return SB_MALFORMED_SIGNATURE;
  const status: u64 = parseContent(s);
  if (status != SB_OK) return status;
  return parseRest(s);
}
