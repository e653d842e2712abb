// templates/secureboot/sha256.ts on the host against node:crypto: one-shot and
// incremental digests of random data, at every alignment and across block boundaries.
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { readBytes, writeBytes } from '../../templates/rt/memory.ts';
import { prng } from '../support/prng.ts';

let sha: Record<string, HostFn>;
beforeAll(async () => { sha = await loadTemplate('templates/secureboot/sha256.ts'); });

const DATA = 0x30_0000n;
const OUT = 0x20_0000n;
const CTX = 0x21_0000n;

const nodeSha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function randomBytesFrom(rand: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

describe('sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    writeBytes(DATA, Buffer.from('abc'));
    sha.sha256(DATA, 3n, OUT);
    expect(Buffer.from(readBytes(OUT, 32)).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    sha.sha256(DATA, 0n, OUT);
    expect(Buffer.from(readBytes(OUT, 32)).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('one-shot digests of every length 0..200 at every alignment match node:crypto', () => {
    const rand = prng(0x5a256);
    for (let n = 0; n <= 200; n++) {
      const at = DATA + BigInt(n % 8);
      const b = randomBytesFrom(rand, n);
      writeBytes(at, b);
      sha.sha256(at, BigInt(n), OUT + BigInt(n % 3));
      expect(Buffer.from(readBytes(OUT + BigInt(n % 3), 32)).toString('hex'), `length ${n}`).toBe(nodeSha(b));
    }
  });

  it('incremental updates in random pieces give the one-shot digest', () => {
    const rand = prng(0x1ec5);
    for (let round = 0; round < 20; round++) {
      const n = Math.floor(rand() * 3000);
      const b = randomBytesFrom(rand, n);
      writeBytes(DATA, b);
      sha.sha256Init(CTX);
      let done = 0;
      while (done < n) {
        const piece = Math.min(n - done, Math.floor(rand() * (rand() < 0.5 ? 10 : 300)));
        sha.sha256Update(CTX, DATA + BigInt(done), BigInt(piece));
        done += piece;
      }
      sha.sha256Final(CTX, OUT);
      expect(Buffer.from(readBytes(OUT, 32)).toString('hex'), `round ${round}, ${n} bytes`).toBe(nodeSha(b));
    }
  });
});
