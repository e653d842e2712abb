// templates/rng.ts on the host: the ChaCha20 block function against RFC 8439, and the
// RNG protocol's output against the keystream Node's own ChaCha20 produces.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { loadTemplate } from '../support/templates.ts';
import { read, write, readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { callptr, guid, guidBytes } from '../../templates/rt/intrinsics.ts';
import { SUCCESS, INVALID, UNSUPPORTED, TOO_SMALL } from '../support/efi.ts';

let rng: Record<string, unknown>;
beforeAll(async () => { rng = await loadTemplate('templates/rng.ts'); });

const RAW = 'e43176d7-b6e8-4827-b784-7ffdc4b68561';
const SEED = 0x20_0000n;
const OUT = 0x21_0001n; // odd: GetRNG fills byte buffers of any alignment

type Layout = Record<string, bigint>;
let iface: bigint;
let seed: Buffer;
const getInfo = (...a: bigint[]): bigint => callptr(read(iface + (rng.RngProtocol as Layout).getInfo, 8), iface, ...a);
const getRng = (...a: bigint[]): bigint => callptr(read(iface + (rng.RngProtocol as Layout).getRng, 8), iface, ...a);

/** ChaCha20 keystream from block 0 with a zero nonce, as Node computes it. */
function keystream(key: Buffer, n: number): Buffer {
  return createCipheriv('chacha20', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

beforeEach(() => {
  seed = randomBytes(32);
  writeBytes(SEED, seed);
  iface = (rng.rngInit as (s: bigint) => bigint)(SEED);
});

describe('ChaCha20', () => {
  it('matches the block function test vector of RFC 8439 §2.3.2', () => {
    writeBytes(SEED, Uint8Array.from({ length: 32 }, (_, i) => i));
    (rng.chachaBlock as (...a: bigint[]) => void)(SEED, 1n, 0x0900_0000n, 0x4a00_0000n, 0n, OUT);
    expect(Buffer.from(readBytes(OUT, 64)).toString('hex')).toBe(
      '10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e'
      + 'd2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e');
  });
});

describe('EFI_RNG_PROTOCOL', () => {
  it('lists RAW after the size probe', () => {
    expect((rng.RngProtocol as Layout).$size).toBe(16n);
    write(OUT, 8, 0n);
    expect(getInfo(OUT, 0n)).toBe(TOO_SMALL);
    expect(read(OUT, 8)).toBe(16n);
    expect(getInfo(OUT, OUT + 0x101n)).toBe(SUCCESS);
    expect(Array.from(readBytes(OUT + 0x101n, 16))).toEqual(guidBytes(RAW));
    expect(getInfo(0n, OUT + 0x101n)).toBe(INVALID);
  });

  it('fills every byte asked for with the keystream, never repeating it', () => {
    const parts = [1, 63, 64, 100, 7, 300];
    const got: number[] = [];
    for (const n of parts) {
      write(OUT + BigInt(n) - 1n, 1, 0xa5n); // the last byte gets written too
      expect(getRng(n % 2 === 0 ? 0n : guid(RAW), BigInt(n), OUT)).toBe(SUCCESS);
      got.push(...readBytes(OUT, n));
    }
    expect(Buffer.from(got).equals(keystream(seed, got.length))).toBe(true);
  });

  it('refuses other algorithms and empty requests', () => {
    expect(getRng(guid('a7af67cb-603b-4d42-ba21-70bfb6293f96'), 8n, OUT)).toBe(UNSUPPORTED); // SP800-90 HMAC
    expect(getRng(0n, 0n, OUT)).toBe(INVALID);
    expect(getRng(0n, 8n, 0n)).toBe(INVALID);
    expect(getRng(0n, 32n, OUT)).toBe(SUCCESS); // refusals spent nothing
    expect(Buffer.from(readBytes(OUT, 32)).equals(keystream(seed, 32))).toBe(true);
  });
});
