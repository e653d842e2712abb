// The verifier's results, shared by its modules. Failure codes are ordered by how far
// verification of one signature got: with several signatures, the highest code is the
// most specific failure and the one reported (authenticode.ts names each).
import { u64 } from '../rt/types.ts';

export const SB_OK: u64 = 0n;
/** The image has no certificate table, or no PKCS#7 (WIN_CERT_TYPE_PKCS_SIGNED_DATA) entry in it. */
export const SB_NO_SIGNATURE: u64 = 1n;
/** The PE headers, section table or certificate table do not fit the image. */
export const SB_MALFORMED_IMAGE: u64 = 2n;
/** The signature is not the DER PKCS#7 SignedData Authenticode describes. */
export const SB_MALFORMED_SIGNATURE: u64 = 3n;
/** A digest other than SHA-256, a signature other than RSA, or a key outside 2048..4096 bits. */
export const SB_UNSUPPORTED: u64 = 4n;
/** No certificate of the SignedData has the SignerInfo's issuer and serial number. */
export const SB_SIGNER_MISSING: u64 = 5n;
/** The authenticated messageDigest is not the SHA-256 of the signed content. */
export const SB_DIGEST_MISMATCH: u64 = 6n;
/** The signer's RSA signature over the authenticated attributes does not verify. */
export const SB_BAD_RSA: u64 = 7n;
/** The signer is not a trusted certificate and chains to none. */
export const SB_NOT_TRUSTED: u64 = 8n;
/** Everything verifies, but the image's own hash is not the one signed. */
export const SB_HASH_MISMATCH: u64 = 9n;
