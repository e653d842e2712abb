// X.509 certificates (RFC 5280 §4.1) as far as a signature chain needs them: the signed
// part (tbsCertificate), serial, issuer and subject (compared as exact DER bytes), the RSA
// public key, basicConstraints' cA flag, and the issuer's signature and its algorithm.
// Validity dates are not checked: the blob has no trusted clock, and UEFI firmware
// ignores them as well.
import { u64, type ptr } from '../rt/types.ts';
import { load64, store64, struct, table, zeroed } from '../rt/intrinsics.ts';
import {
  TAG_BIT_STRING, TAG_BOOLEAN, TAG_CTX0, TAG_CTX3, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
  derBody, derByte, derEnd, derExpect, derFirst, derHasNext, derIsOid, derLen, derNext, derRead, derSize,
  derSmallInt, derStart, derTag, bytesEqual,
} from './der.ts';
import { sha256 } from './sha256.ts';
import { rsaVerify, RSA_OK } from './rsa.ts';

/** What the chain code needs of one certificate; ranges are addresses and byte counts. */
export const Cert = struct({
  start: u64, size: u64, // the whole certificate
  tbs: u64, tbsSize: u64, // tbsCertificate, header included: what the issuer signed
  serial: u64, serialSize: u64, // INTEGER element
  issuer: u64, issuerSize: u64, // Name elements
  subject: u64, subjectSize: u64,
  modulus: u64, modulusSize: u64, // RSA modulus content bytes; size 0: not an RSA key
  exponent: u64, // the RSA public exponent, 0 when wider than 64 bits
  sigSha256Rsa: u64, // 1 when the issuer signed with sha256WithRSAEncryption
  sig: u64, sigSize: u64, // the signature bytes (BIT STRING content after its unused-bits byte)
  isCa: u64, // basicConstraints cA
});
/** Cert.$size, spelled out for zeroed(): 17 fields of 8 bytes. */
export const CERT_SIZE: u64 = 136n;

/** OIDs as a length byte and the content bytes. */
export const OID_RSA_ENCRYPTION = table(1, [9n, 0x2an, 0x86n, 0x48n, 0x86n, 0xf7n, 0x0dn, 0x01n, 0x01n, 0x01n]);
export const OID_SHA256_RSA = table(1, [9n, 0x2an, 0x86n, 0x48n, 0x86n, 0xf7n, 0x0dn, 0x01n, 0x01n, 0x0bn]);
const OID_BASIC_CONSTRAINTS = table(1, [3n, 0x55n, 0x1dn, 0x13n]);

/** Elements the parser walks with: the certificate, tbs, a field, and nested ones. */
/** der.ts's DER_SIZE: zeroed() takes sizes of this module (the tests check). */
const DER_BYTES: u64 = 40n;
const CERT_EL = zeroed(DER_BYTES, 8n);
const TBS = zeroed(DER_BYTES, 8n);
const FIELD = zeroed(DER_BYTES, 8n);
const INNER = zeroed(DER_BYTES, 8n);
const DEEP = zeroed(DER_BYTES, 8n);
const DIGEST = zeroed(32n, 8n);

function set(c: ptr, field: u64, v: u64): void {
  store64(c + field, v);
}

export function certField(c: ptr, field: u64): u64 {
  return load64(c + field);
}

/** Records element `el` as the range at fields `at` (address) and `at + 8` (size). */
function setRange(c: ptr, at: u64, el: ptr): void {
  set(c, at, derStart(el));
  set(c, at + 8n, derSize(el));
}

/** INTEGER content without its leading zero bytes (a positive number's sign byte). */
function setUnsigned(c: ptr, at: u64, el: ptr): void {
  let p: ptr = derBody(el);
  let n: u64 = derLen(el);
  while (n > 0n && derByte(el, derLen(el) - n) == 0n) { p++; n--; }
  set(c, at, p);
  set(c, at + 8n, n);
}

/**
 * SubjectPublicKeyInfo at FIELD: an rsaEncryption key gets its modulus and exponent,
 * any other key none (modulusSize 0). False only when the DER is malformed.
 */
function parseKey(c: ptr): boolean {
  set(c, Cert.modulusSize, 0n);
  set(c, Cert.exponent, 0n);
  if (!derFirst(INNER, FIELD, TAG_SEQUENCE) || !derFirst(DEEP, INNER, TAG_OID)) return false;
  const rsa: boolean = derIsOid(DEEP, OID_RSA_ENCRYPTION);
  if (!derNext(INNER, FIELD, TAG_BIT_STRING) || derLen(INNER) < 1n || derByte(INNER, 0n) != 0n) return false;
  if (!rsa) return true;
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
  if (!derExpect(DEEP, derBody(INNER) + 1n, derEnd(INNER), TAG_SEQUENCE)) return false;
  if (!derFirst(INNER, DEEP, TAG_INTEGER)) return false;
  setUnsigned(c, Cert.modulus, INNER);
  if (!derNext(INNER, DEEP, TAG_INTEGER)) return false;
  set(c, Cert.exponent, derSmallInt(INNER, 0n));
  return true;
}

/** basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, … } in the OCTET STRING at DEEP. */
function parseBasicConstraints(c: ptr): boolean {
  if (!derExpect(DEEP, derBody(DEEP), derEnd(DEEP), TAG_SEQUENCE)) return false;
  const seqEnd: ptr = derEnd(DEEP);
  if (derLen(DEEP) == 0n) return true;
  if (!derRead(DEEP, derBody(DEEP), seqEnd)) return false;
  if (derTag(DEEP) == TAG_BOOLEAN && derLen(DEEP) == 1n && derByte(DEEP, 0n) == 0xffn) set(c, Cert.isCa, 1n);
  return true;
}

/** extensions [3] EXPLICIT SEQUENCE OF Extension at FIELD: only basicConstraints matters here. */
function parseExtensions(c: ptr): boolean {
  if (!derFirst(INNER, FIELD, TAG_SEQUENCE)) return false;
  const list: ptr = derBody(INNER);
  const listEnd: ptr = derEnd(INNER);
  for (let p: ptr = list; p < listEnd; p = derEnd(INNER)) {
    // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    if (!derExpect(INNER, p, listEnd, TAG_SEQUENCE) || !derFirst(DEEP, INNER, TAG_OID)) return false;
    const basic: boolean = derIsOid(DEEP, OID_BASIC_CONSTRAINTS);
    if (!derRead(DEEP, derEnd(DEEP), derEnd(INNER))) return false;
    if (derTag(DEEP) == TAG_BOOLEAN && !derRead(DEEP, derEnd(DEEP), derEnd(INNER))) return false;
    if (derTag(DEEP) != TAG_OCTET_STRING) return false;
    if (basic && !parseBasicConstraints(c)) return false;
  }
  return true;
}

/** tbsCertificate's fields, in order (RFC 5280 §4.1). */
function parseTbs(c: ptr): boolean {
  if (!derRead(FIELD, derBody(TBS), derEnd(TBS))) return false;
  if (derTag(FIELD) == TAG_CTX0 && !derRead(FIELD, derEnd(FIELD), derEnd(TBS))) return false; // version
  if (derTag(FIELD) != TAG_INTEGER) return false;
  setRange(c, Cert.serial, FIELD);
  if (!derNext(FIELD, TBS, TAG_SEQUENCE)) return false; // signature algorithm, repeated outside
  if (!derNext(FIELD, TBS, TAG_SEQUENCE)) return false;
  setRange(c, Cert.issuer, FIELD);
  if (!derNext(FIELD, TBS, TAG_SEQUENCE)) return false; // validity
  if (!derNext(FIELD, TBS, TAG_SEQUENCE)) return false;
  setRange(c, Cert.subject, FIELD);
  if (!derNext(FIELD, TBS, TAG_SEQUENCE) || !parseKey(c)) return false;
  while (derHasNext(FIELD, TBS)) {
    // issuerUniqueID [1], subjectUniqueID [2], extensions [3]
    if (!derRead(FIELD, derEnd(FIELD), derEnd(TBS))) return false;
    if (derTag(FIELD) == TAG_CTX3 && !parseExtensions(c)) return false;
  }
  return true;
}

/**
 * Parses the certificate at `p`, which must end exactly at `end`, into the Cert record
 * at `c`. False when it is not a well-formed certificate.
 */
export function x509Parse(c: ptr, p: ptr, end: ptr): boolean {
  set(c, Cert.isCa, 0n);
  if (!derExpect(CERT_EL, p, end, TAG_SEQUENCE) || derEnd(CERT_EL) != end) return false;
  setRange(c, Cert.start, CERT_EL);
  if (!derFirst(TBS, CERT_EL, TAG_SEQUENCE)) return false;
  setRange(c, Cert.tbs, TBS);
  if (!parseTbs(c)) return false;
  if (!derExpect(FIELD, derEnd(TBS), derEnd(CERT_EL), TAG_SEQUENCE) || !derFirst(INNER, FIELD, TAG_OID)) return false;
  set(c, Cert.sigSha256Rsa, derIsOid(INNER, OID_SHA256_RSA) ? 1n : 0n);
  if (!derNext(FIELD, CERT_EL, TAG_BIT_STRING) || derHasNext(FIELD, CERT_EL)) return false;
  if (derLen(FIELD) < 1n || derByte(FIELD, 0n) != 0n) return false;
  set(c, Cert.sig, derBody(FIELD) + 1n);
  set(c, Cert.sigSize, derLen(FIELD) - 1n);
  return true;
}

/** Whether the two ranges `a` (at field fa of certificate ca) and `b` hold the same bytes. */
function sameRange(ca: ptr, fa: u64, cb: ptr, fb: u64): boolean {
  const n: u64 = certField(ca, fa + 8n);
  return n == certField(cb, fb + 8n) && bytesEqual(certField(ca, fa), certField(cb, fb), n);
}

/** Whether two parsed certificates are the same DER bytes. */
export function certSame(a: ptr, b: ptr): boolean {
  return sameRange(a, Cert.start, b, Cert.start);
}

/** Whether `child` names `parent` as its issuer (exact DER of the two names). */
export function certIssuedBy(child: ptr, parent: ptr): boolean {
  return sameRange(child, Cert.issuer, parent, Cert.subject);
}

/** Whether `c`'s issuer and serial are the DER elements at `issuer` and `serial` (a SignerInfo's). */
export function certIs(c: ptr, issuer: ptr, issuerSize: u64, serial: ptr, serialSize: u64): boolean {
  return certField(c, Cert.issuerSize) == issuerSize && certField(c, Cert.serialSize) == serialSize
    && bytesEqual(certField(c, Cert.issuer), issuer, issuerSize) && bytesEqual(certField(c, Cert.serial), serial, serialSize);
}

/** Whether `parent`'s RSA key verifies `child`'s sha256WithRSAEncryption signature. */
export function certVerifySignature(child: ptr, parent: ptr): boolean {
  if (certField(child, Cert.sigSha256Rsa) == 0n || certField(parent, Cert.modulusSize) == 0n) return false;
  sha256(certField(child, Cert.tbs), certField(child, Cert.tbsSize), DIGEST);
  return rsaVerify(certField(parent, Cert.modulus), certField(parent, Cert.modulusSize), certField(parent, Cert.exponent),
    certField(child, Cert.sig), certField(child, Cert.sigSize), DIGEST) == RSA_OK;
}
