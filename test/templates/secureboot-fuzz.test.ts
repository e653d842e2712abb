// Fuzzing the verifier's PE and DER parsing on the host: signed images mutated at random
// (byte flips and stores, interesting 32-bit values in header fields and DER lengths,
// truncation), seeded so every run is the same. authenticodeVerify must return one of
// its failure codes without throwing, read only the image, the trust list and its own
// static data, write only its static data, and accept a mutated single-signature image
// only where sbverify accepts it too.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { watchMemory, writeBytes } from '../../templates/rt/memory.ts';
import { prng } from '../support/prng.ts';
import { tempDir } from '../support/tmp.ts';
import { type Identity, issued, peFacts, sbsign, selfSigned, trustList } from '../support/secureboot.ts';
import { craftPe } from '../formats/craft.ts';

const IMAGE = 0x100_0000n;
const TRUST = 0x80_0000n;
/** Where the host carves static data (templates/rt/intrinsics.ts); the verifier's buffers lie there. */
const STATIC = [0x7000_0000_0000n, 0x7100_0000_0000n] as const;
const INTERESTING = [0, 1, 2, 7, 8, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x200, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff8];
const MAX_CODE = 9n;

let ac: Record<string, HostFn>;
const dir = tempDir('gp-sbf-');

/** `single`: one signature, so sbverify's verdict (on the first signature only) is comparable. */
interface Base { name: string; image: Buffer; trusted: Identity; single: boolean }
const bases: Base[] = [];

beforeAll(async () => {
  ac = await loadTemplate('templates/secureboot/authenticode.ts');
  const ca = selfSigned(dir, 'ca');
  const inter = issued(dir, 'inter', ca, true);
  const leaf = issued(dir, 'leaf', inter, false);
  const input = join(dir, 'input.efi');
  const pe = craftPe({ machine: 0x8664, sections: [{ name: '.text', size: 0x300, fill: 0x90 }, { name: '.data', size: 0x80, fill: 0x41 }] }).data;
  writeFileSync(input, Buffer.concat([pe, Buffer.from('tail')]));
  const self = sbsign(ca, input, join(dir, 'self.efi'));
  const chain = sbsign(leaf, input, join(dir, 'chain.efi'), [inter]);
  const twice = sbsign(leaf, join(dir, 'self.efi'), join(dir, 'twice.efi'), [inter]);
  bases.push({ name: 'self-signed', image: self, trusted: ca, single: true });
  bases.push({ name: 'chain', image: chain, trusted: ca, single: true });
  bases.push({ name: 'two signatures', image: twice, trusted: ca, single: false });
});

afterEach(() => watchMemory());

/** A mutated copy: mostly in the certificate table (the DER), else in the headers. */
function mutate(src: Buffer, rand: () => number): Buffer {
  let data = Buffer.from(src);
  const pick = (n: number): number => Math.floor(rand() * n);
  const { certOff } = peFacts(src);
  const offset = (): number => (rand() < 0.7 ? certOff + pick(data.length - certOff) : pick(Math.min(certOff, 0x400)));
  const count = 1 + pick(4);
  for (let i = 0; i < count && data.length > 0; i++) {
    const kind = pick(10);
    const at = Math.min(offset(), data.length - 1);
    if (kind < 4) data[at] ^= 1 << pick(8);
    else if (kind < 6) data[at] = pick(256);
    else if (kind < 9) {
      const value = INTERESTING[pick(INTERESTING.length)];
      if (kind === 8 && at + 1 < data.length) data[at] = value & 0xff; // a DER length or tag byte
      else if (at + 4 <= data.length) data.writeUInt32LE(value >>> 0, at & ~1);
    } else data = data.subarray(0, pick(data.length));
  }
  return data;
}

/** Runs the verifier on `image` watching every access (`allowed` bytes of it may be read); what it returned and any stray access. */
function guardedVerify(image: Buffer, trust: Buffer, allowed = image.length): { code: bigint; stray?: string } {
  writeBytes(IMAGE, image);
  writeBytes(TRUST, trust);
  let stray: string | undefined;
  const inside = (a: bigint, w: number, lo: bigint, n: number): boolean => a >= lo && a + BigInt(w) <= lo + BigInt(n);
  watchMemory((addr, width, isWrite) => {
    const own = addr >= STATIC[0] && addr + BigInt(width) <= STATIC[1];
    const input = inside(addr, width, IMAGE, allowed) || inside(addr, width, TRUST, trust.length);
    if (stray === undefined && !(own || (!isWrite && input))) stray = `${isWrite ? 'write' : 'read'} of ${width} at 0x${addr.toString(16)}`;
  });
  try {
    return { code: ac.authenticodeVerify(IMAGE, BigInt(image.length), TRUST), stray };
  } finally {
    watchMemory();
  }
}

const sbverifyAccepts = (trusted: Identity, image: Buffer): boolean => {
  const file = join(dir, 'accepted.efi');
  writeFileSync(file, image);
  return spawnSync('sbverify', ['--cert', trusted.cert, file], { stdio: 'ignore' }).status === 0;
};

describe('fuzz', () => {
  it('the unmutated bases verify, without a stray access', () => {
    for (const b of bases) expect(guardedVerify(b.image, trustList([b.trusted.der])), b.name).toEqual({ code: 0n, stray: undefined });
  });

  it('the guard notices reads past the bytes it is told the image has', () => {
    const b = bases[0];
    const certOff = peFacts(b.image).certOff;
    const stray = guardedVerify(b.image, trustList([b.trusted.der]), certOff).stray ?? '';
    const at = BigInt(/^read of 1 at (0x[0-9a-f]+)$/.exec(stray)?.[1] ?? '0');
    expect(at - IMAGE, stray).toBeGreaterThanOrEqual(BigInt(certOff)); // the WIN_CERTIFICATE header
    expect(at - IMAGE, stray).toBeLessThan(BigInt(certOff + 8));
  });

  it.each([[0x5b00_0001], [0x5b00_0002], [0x5b00_0003]])('100 mutated images, seed %i: codes only, in bounds', async (seed) => {
    const rand = prng(seed);
    const seen = new Map<bigint, number>();
    const failures: string[] = [];
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 0) await new Promise<void>((resolve) => { setImmediate(resolve); }); // let vitest's worker talk
      const base = bases[i % bases.length];
      const image = mutate(base.image, rand);
      const trust = trustList([base.trusted.der]);
      let r: { code: bigint; stray?: string };
      try {
        r = guardedVerify(image, trust);
      } catch (e) {
        failures.push(`#${i} ${base.name}: threw ${(e as Error).message}`);
        continue;
      }
      seen.set(r.code, (seen.get(r.code) ?? 0) + 1);
      if (r.stray) failures.push(`#${i} ${base.name}: ${r.stray}`);
      if (r.code > MAX_CODE) failures.push(`#${i} ${base.name}: code ${r.code}`);
      // any verifying signature is enough (as for UEFI firmware); sbverify checks the first only
      if (r.code === 0n && base.single && !sbverifyAccepts(base.trusted, image)) failures.push(`#${i} ${base.name}: accepted, sbverify refuses`);
    }
    expect(failures).toEqual([]);
    // the mutations reach the parsers' every stage, not just the first check
    expect(seen.size, JSON.stringify([...seen].map(([c, n]) => `${c}:${n}`))).toBeGreaterThanOrEqual(5);
  });
});
