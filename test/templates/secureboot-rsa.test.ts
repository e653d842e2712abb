// templates/secureboot/rsa.ts and bignum.ts on the host against node:crypto: keys of
// several sizes and exponents, signatures over random digests, and every way a signature
// or key may be wrong.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { writeBytes } from '../../templates/rt/memory.ts';
import { prng } from '../support/prng.ts';

let rsa: Record<string, HostFn>;
beforeAll(async () => { rsa = await loadTemplate('templates/secureboot/rsa.ts'); });
// A macrotask turn between the long synchronous tests, so vitest's worker answers its runner.
beforeEach(() => new Promise<void>((resolve) => { setImmediate(resolve); }));

const MOD = 0x40_0000n;
const SIG = 0x41_0001n; // odd: the signature may lie anywhere in the image
const DIGEST = 0x42_0003n;
const [OK, UNSUPPORTED, BAD] = [0n, 1n, 2n];

interface Key { n: Buffer; e: bigint; priv: KeyObject }

function key(bits: number, e: number): Key {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: e });
  const jwk = publicKey.export({ format: 'jwk' });
  return { n: Buffer.from(jwk.n as string, 'base64url'), e: BigInt(e), priv: privateKey };
}

/** Places key, signature and digest, and runs rsaVerify; `lead` zero bytes before the modulus as in a DER INTEGER. */
function verify(k: Key, sig: Uint8Array, digest: Uint8Array, lead = 1): bigint {
  writeBytes(MOD, Buffer.concat([Buffer.alloc(lead), k.n]));
  writeBytes(SIG, sig);
  writeBytes(DIGEST, digest);
  return rsa.rsaVerify(MOD, BigInt(k.n.length + lead), k.e, SIG, BigInt(sig.length), DIGEST);
}

const signed = (k: Key, msg: Buffer): Buffer => sign('sha256', msg, k.priv);
const digestOf = (msg: Buffer): Buffer => createHash('sha256').update(msg).digest();

describe('rsaVerify', () => {
  const rand = prng(0x125a);
  const message = (): Buffer => Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 100) }, () => Math.floor(rand() * 256)));

  it.each([[2048, 65537], [2048, 3], [3072, 65537], [4096, 65537], [2056, 0x10001], [2304, 0xfffffffd], [4000, 17]])(
    '%i-bit key, e = %i: accepts node:crypto signatures, rejects other digests and damaged signatures',
    (bits, e) => {
      const k = key(bits, e);
      for (let i = 0; i < 2; i++) {
        const msg = message();
        const sig = signed(k, msg);
        expect(verify(k, sig, digestOf(msg), i)).toBe(OK);
        const other = digestOf(Buffer.concat([msg, Buffer.from([1])]));
        expect(verify(k, sig, other)).toBe(BAD);
        const bad = Buffer.from(sig);
        bad[Math.floor(rand() * bad.length)] ^= 1 << Math.floor(rand() * 8);
        expect(verify(k, bad, digestOf(msg))).toBe(BAD);
      }
    },
  );

  it('decodes the PKCS#1 v1.5 block and rejects signatures of the wrong length or not below n', () => {
    const k = key(2048, 65537);
    const msg = message();
    const sig = signed(k, msg);
    expect(verify(k, sig, digestOf(msg))).toBe(OK);
    const block = Array.from({ length: 256 }, (_, i) => Number(rsa.rsaBlockByteForTest(BigInt(i), 256n)));
    expect(block.slice(0, 2)).toEqual([0, 1]);
    expect(block.slice(2, 256 - 52).every((b) => b === 0xff)).toBe(true);
    expect(Buffer.from(block.slice(256 - 51)).toString('hex')).toBe(`3031300d060960864801650304020105000420${digestOf(msg).toString('hex')}`);
    expect(verify(k, sig.subarray(1), digestOf(msg))).toBe(BAD);
    expect(verify(k, Buffer.concat([Buffer.alloc(1), sig]), digestOf(msg))).toBe(BAD);
    expect(verify(k, k.n, digestOf(msg))).toBe(BAD); // s = n
    const over = Buffer.from(k.n);
    over[255] += 1;
    expect(verify(k, over, digestOf(msg))).toBe(BAD); // s > n
  });

  it('rejects a block signed over another hash (SHA-1 DigestInfo)', () => {
    const k = key(2048, 65537);
    const msg = message();
    expect(verify(k, sign('sha1', msg, k.priv), digestOf(msg))).toBe(BAD);
  });

  it('refuses keys outside 2048..4096 bits, even moduli and unusable exponents', () => {
    const small = key(1024, 65537);
    const msg = message();
    expect(verify(small, signed(small, msg), digestOf(msg))).toBe(UNSUPPORTED);
    const k = key(2048, 65537);
    const sig = signed(k, msg);
    for (const e of [0n, 1n, 2n, 65536n, 0x1_0000_0001n]) expect(verify({ ...k, e }, sig, digestOf(msg))).toBe(UNSUPPORTED);
    const even = Buffer.from(k.n);
    even[255] &= 0xfe;
    expect(verify({ ...k, n: even }, sig, digestOf(msg))).toBe(UNSUPPORTED);
    const wide = Buffer.concat([Buffer.from([1]), Buffer.alloc(512)]);
    wide[512] = 1; // 4097 bits
    expect(verify({ ...k, n: wide }, Buffer.alloc(513), digestOf(msg))).toBe(UNSUPPORTED);
    expect(verify({ ...k, n: Buffer.alloc(0) }, sig, digestOf(msg), 3)).toBe(UNSUPPORTED);
  });
});
