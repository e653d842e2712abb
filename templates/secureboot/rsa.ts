// RSASSA-PKCS1-v1_5 verification with SHA-256 (RFC 8017 §8.2.2): s^e mod n, and the
// encoded block 00 01 FF..FF 00 DigestInfo(SHA-256) hash compared whole, every byte,
// with no early exit. Nothing here is secret, but the habit costs nothing.
import { u8, u64, type ptr } from '../rt/types.ts';
import { load8, table, zeroed } from '../rt/intrinsics.ts';
import { MAX_LIMBS, bnFromBytes, bnByte, bnLess, montSetup, modExp } from './bignum.ts';

export const RSA_OK: u64 = 0n;
/** The key is not one we verify with: size outside 2048..4096 bits, even modulus, odd e < 3. */
export const RSA_UNSUPPORTED: u64 = 1n;
export const RSA_BAD_SIGNATURE: u64 = 2n;

const MIN_BITS: u64 = 2048n;
const MAX_BITS: u64 = 4096n;

/** DER of DigestInfo { sha256, NULL } up to the 32 hash bytes (RFC 8017 §9.2 note 1). */
const SHA256_PREFIX = table(1, [
  0x30n, 0x31n, 0x30n, 0x0dn, 0x06n, 0x09n, 0x60n, 0x86n, 0x48n, 0x01n,
  0x65n, 0x03n, 0x04n, 0x02n, 0x01n, 0x05n, 0x00n, 0x04n, 0x20n,
]);
const PREFIX_SIZE: u64 = 19n;
const HASH_SIZE: u64 = 32n;

/** bignum.ts's NUM_BYTES: zeroed() takes a size of this module. */
const NUM_BYTES: u64 = 528n;
const MODULUS = zeroed(NUM_BYTES, 8n);
const SIG = zeroed(NUM_BYTES, 8n);
const RESULT = zeroed(NUM_BYTES, 8n);

/** Significant bits of the big-endian number at `p` (`len` bytes, first one non-zero). */
function bitLength(p: ptr, len: u64): u64 {
  let bits: u64 = len * 8n;
  for (let top: u64 = u64(load8(p)); top < 0x80n; top = top << 1n) bits--;
  return bits;
}

/** The byte the encoding of `digest` has at position `i` of a `k`-byte block. */
function expectedByte(i: u64, k: u64, digest: ptr): u64 {
  const tail: u64 = k - PREFIX_SIZE - HASH_SIZE; // where DigestInfo starts
  if (i == 0n) return 0n;
  if (i == 1n) return 1n;
  if (i < tail - 1n) return 0xffn;
  if (i == tail - 1n) return 0n;
  if (i < tail + PREFIX_SIZE) return u64(load8(SHA256_PREFIX + i - tail));
  return u64(load8(digest + i - tail - PREFIX_SIZE));
}

/**
 * Verifies the `sigLen`-byte signature at `sig` over the SHA-256 `digest` (32 bytes) with
 * the public key (`mod`, `modLen` big-endian bytes, leading zeros allowed; exponent `e`).
 * RSA_OK, RSA_UNSUPPORTED (the key) or RSA_BAD_SIGNATURE.
 */
export function rsaVerify(mod: ptr, modLen: u64, e: u64, sig: ptr, sigLen: u64, digest: ptr): u64 {
  let m: ptr = mod;
  let k: u64 = modLen;
  while (k > 0n && load8(m) == 0n) { m++; k--; }
  if (k == 0n) return RSA_UNSUPPORTED;
  const bits: u64 = bitLength(m, k);
  if (bits < MIN_BITS || bits > MAX_BITS || (load8(m + k - 1n) & 1n) == 0n) return RSA_UNSUPPORTED;
  if (e < 3n || e > 0xffff_ffffn || (e & 1n) == 0n) return RSA_UNSUPPORTED;
  if (sigLen != k) return RSA_BAD_SIGNATURE;
  const n: u64 = (k + 3n) / 4n;
  if (n > MAX_LIMBS) return RSA_UNSUPPORTED;
  bnFromBytes(MODULUS, n, m, k);
  bnFromBytes(SIG, n, sig, k);
  if (!bnLess(SIG, MODULUS, n)) return RSA_BAD_SIGNATURE;
  montSetup(MODULUS, n);
  modExp(RESULT, SIG, e);
  // the whole block, compared without an early exit
  let diff: u64 = 0n;
  for (let i: u64 = 0n; i < k; i++) diff = diff | (bnByte(RESULT, k - 1n - i) ^ expectedByte(i, k, digest));
  return diff == 0n ? RSA_OK : RSA_BAD_SIGNATURE;
}

/** A byte of the last decoded block, for the tests (index from the most significant end). */
export function rsaBlockByteForTest(i: u64, k: u64): u8 {
  return u8(bnByte(RESULT, k - 1n - i));
}
