// The trust list a wrapper made with `--trust` carries (docs/secure-boot.md): the X.509
// certificates the blob verifies the payload's Authenticode signature against. Each
// entry is a u32 little-endian length N, N bytes of one DER certificate, zeros to the
// next 8-byte boundary; a length of 0 ends the list. The list starts 8-aligned.
import { X509Certificate } from 'node:crypto';
import { FormatError } from '../errors.ts';
import { ByteReader, alignUp } from './bytes.ts';

/** What the blob's verifier handles (RSA PKCS#1 v1.5, 2048 to 4096 bits). */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;
const PEM_CERT = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;
/** Longer than any certificate a verifier should take; the blob reads the length as 32 bits. */
const CERT_MAX = 0x10000;

export interface TrustCert {
  /** The file it came from, and its index there (a PEM file may hold several). */
  file: string;
  der: Uint8Array;
  subject: string;
  /** RSA modulus length. */
  bits: number;
  /** SHA-256 of the DER bytes, hex: what `openssl x509 -fingerprint -sha256` shows. */
  fingerprint: string;
}

/** The certificates of one `--trust` file, PEM (one or more) or DER; FormatError naming the file otherwise. */
export function readTrustFile(data: Uint8Array, file: string): TrustCert[] {
  const text = new TextDecoder('latin1').decode(data);
  if (!text.includes('-----BEGIN')) return [certificate(data, file, 0)];
  const ders = [...text.matchAll(PEM_CERT)].map((m) => ({ at: m.index ?? 0, der: Buffer.from(m[1].replace(/\s/g, ''), 'base64') }));
  if (ders.length === 0) {
    throw new FormatError(file, text.indexOf('-----BEGIN'), 'PEM', 'no "-----BEGIN CERTIFICATE-----" block (a key or a request is not a certificate)');
  }
  return ders.map(({ at, der }) => certificate(new Uint8Array(der), file, at));
}

/** One DER certificate, checked to be X.509 with an RSA key the verifier handles. */
function certificate(der: Uint8Array, file: string, at: number): TrustCert {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new FormatError(file, at, 'certificate', 'neither a PEM nor a DER X.509 certificate');
  }
  const raw = new Uint8Array(cert.raw);
  if (raw.length > CERT_MAX) throw new FormatError(file, at, 'certificate', `${raw.length} bytes: longer than the ${CERT_MAX} a trust list entry takes`);
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new FormatError(file, at, 'certificate public key', `${key.asymmetricKeyType ?? 'unknown'}, not RSA: the blob verifies RSA signatures only`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new FormatError(file, at, 'certificate public key', `RSA ${bits} bits: the blob verifies ${RSA_MIN_BITS} to ${RSA_MAX_BITS}`);
  }
  const fingerprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
  return { file, der: raw, subject: cert.subject.replaceAll('\n', ', '), bits, fingerprint };
}

/** Subject, key size and fingerprint of a DER certificate a trust list holds (for `inspect`). */
export function describeCert(der: Uint8Array): string {
  try {
    const c = new X509Certificate(der);
    const bits = c.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    return `${c.subject.replaceAll('\n', ', ')} (RSA ${bits}, SHA-256 ${c.fingerprint256.replaceAll(':', '').toLowerCase()})`;
  } catch {
    return `${der.length} bytes that are not an X.509 certificate`;
  }
}

/** The trust list's bytes: every certificate, then the 0 that ends it; a multiple of 8. */
export function trustList(certs: readonly TrustCert[]): Uint8Array {
  const size = certs.reduce((n, c) => n + alignUp(4 + c.der.length, 8), 0) + 8;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const c of certs) {
    v.setUint32(at, c.der.length, true);
    out.set(c.der, at + 4);
    at += alignUp(4 + c.der.length, 8);
  }
  return out;
}

/** The DER certificates of a trust list at `at` of `r`, `size` bytes long; FormatError if it runs over. */
export function readTrustList(r: ByteReader, at: number, size: number): Uint8Array[] {
  const certs: Uint8Array[] = [];
  for (let p = at; ; p = alignUp(p + 4 + certs[certs.length - 1].length, 8)) {
    if (p + 4 > at + size) r.fail(p, 'trust list', `runs past its ${size} bytes without the 0 that ends it`);
    const n = r.u32(p, 'trust list entry length');
    if (n === 0) return certs;
    if (n > CERT_MAX || p + 4 + n > at + size) r.fail(p, 'trust list entry length', `${n} bytes do not fit in the list`);
    certs.push(r.bytes(p + 4, n, 'trust list certificate'));
  }
}
