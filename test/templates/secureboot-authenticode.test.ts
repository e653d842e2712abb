// templates/secureboot/authenticode.ts on the host: real PE images signed with sbsign
// (systemd-boot's UKI stubs, a crafted PE), with keys and certificates openssl makes at
// test time, and sbverify's verdict on the same files as the reference. Tampering with a
// section, the headers, the signature or the trust gives the failure code of that check.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { readBytes, readByte, writeBytes } from '../../templates/rt/memory.ts';
import { systemdStub } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';
import { type Identity, issued, opensslChain, peFacts, sbsign, sbverify, selfSigned, trustList } from '../support/secureboot.ts';
import { craftPe } from '../formats/craft.ts';

const CODES = {
  ok: 0n, noSignature: 1n, malformedImage: 2n, malformedSignature: 3n, unsupported: 4n, signerMissing: 5n,
  digestMismatch: 6n, badRsa: 7n, notTrusted: 8n, hashMismatch: 9n,
};
const IMAGE = 0x100_0000n;
const TRUST = 0x80_0000n;
const OUT = 0x7f_0000n;

let ac: Record<string, HostFn>;
const dir = tempDir('gp-sb-');
let ca: Identity;
let inter: Identity;
let leaf: Identity;
let other: Identity;
let big: Identity;
let stub: string;

beforeAll(async () => {
  ac = await loadTemplate('templates/secureboot/authenticode.ts');
  ca = selfSigned(dir, 'ca');
  inter = issued(dir, 'intermediate', ca, true);
  leaf = issued(dir, 'leaf', inter, false);
  other = selfSigned(dir, 'other');
  big = selfSigned(dir, 'big4096', 4096);
  stub = join(dir, 'stub.efi');
  copyFileSync(systemdStub('x86_64'), stub);
});

// A macrotask turn between the long synchronous tests, so vitest's worker answers its runner.
beforeEach(() => new Promise<void>((resolve) => { setImmediate(resolve); }));

/** authenticodeVerify on `image` placed in memory, trusting `trusted`. */
function verify(image: Buffer, trusted: Identity[]): bigint {
  writeBytes(IMAGE, image);
  writeBytes(TRUST, trustList(trusted.map((t) => t.der)));
  return ac.authenticodeVerify(IMAGE, BigInt(image.length), TRUST);
}

function message(code: bigint): string {
  const p = ac.authenticodeFailure(code);
  let s = '';
  for (let q = p; readByte(q) !== 0; q++) s += String.fromCharCode(readByte(q));
  return s;
}

/** A copy of `file` with `edit` applied, written next to it for sbverify. */
function tampered(file: string, edit: (b: Buffer) => void): { bytes: Buffer; path: string } {
  const bytes = Buffer.from(readFileSync(file));
  edit(bytes);
  const path = `${file}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(path, bytes);
  return { bytes, path };
}

/** The DER content octets of the serial number of `id`'s certificate. */
function execSerial(id: Identity): Buffer {
  const hex = spawnSync('openssl', ['x509', '-in', id.cert, '-noout', '-serial'], { encoding: 'utf8' }).stdout.trim().replace(/^serial=/, '');
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The end of the DER of the first WIN_CERTIFICATE: the RSA signature's last bytes lie just before. */
function firstSignatureEnd(b: Buffer): number {
  const { certOff } = peFacts(b);
  const der = certOff + 8;
  expect(b[der]).toBe(0x30);
  expect(b[der + 1]).toBe(0x82);
  return der + 4 + b.readUInt16BE(der + 2);
}

/** A minimal PE32 (i386) image: the optional header's data directories start at 96, not 112. */
function pe32(): Buffer {
  const b = Buffer.alloc(0x600);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x40, 0x3c);
  b.write('PE\0\0', 0x40, 'latin1');
  const [coff, opt] = [0x44, 0x58];
  b.writeUInt16LE(0x14c, coff);
  b.writeUInt16LE(1, coff + 2);
  b.writeUInt16LE(96 + 16 * 8, coff + 16);
  b.writeUInt16LE(0x102, coff + 18);
  b.writeUInt16LE(0x10b, opt);
  for (const [at, v] of [[16, 0x1000], [20, 0x1000], [28, 0x40_0000], [32, 0x1000], [36, 0x200], [56, 0x2000], [60, 0x400], [92, 16]]) b.writeUInt32LE(v, opt + at);
  b.writeUInt16LE(10, opt + 68);
  const h = opt + 96 + 16 * 8;
  b.write('.text', h, 'latin1');
  for (const [at, v] of [[8, 0x200], [12, 0x1000], [16, 0x200], [20, 0x400], [36, 0x6000_0020]]) b.writeUInt32LE(v, h + at);
  b.fill(0xc3, 0x400);
  return b;
}

describe('authenticodeVerify, a real image signed by sbsign', () => {
  let signed: string;
  beforeAll(() => {
    signed = join(dir, 'signed.efi');
    sbsign(other, stub, signed);
  });

  it('accepts what sbverify accepts, and names the result', () => {
    expect(sbverify(other, signed)).toBe(true);
    expect(verify(readFileSync(signed), [other])).toBe(CODES.ok);
    expect(message(CODES.ok)).toBe('verified');
  });

  it('computes the image hash osslsigncode computes, and the one of the Authenticode ranges', () => {
    const image = readFileSync(signed);
    writeBytes(IMAGE, image);
    expect(ac.authenticodeImageHash(IMAGE, BigInt(image.length), OUT)).toBe(CODES.ok);
    const ours = Buffer.from(readBytes(OUT, 32)).toString('hex');
    // osslsigncode exits non-zero (no CA store to check the signer with) but prints both digests
    const report = spawnSync('osslsigncode', ['verify', '-in', signed], { encoding: 'utf8' }).stdout;
    expect(report).toMatch(new RegExp(`Calculated message digest\\s*:\\s*${ours.toUpperCase()}`));
    const f = peFacts(image);
    const h = createHash('sha256').update(image.subarray(0, f.checksum)).update(image.subarray(f.checksum + 4, f.certDir))
      .update(image.subarray(f.certDir + 8, image.readUInt32LE(f.checksum - 4)));
    let hashed = image.readUInt32LE(f.checksum - 4); // SizeOfHeaders precedes CheckSum
    for (const s of [...f.sections].sort((a, b) => a.raw - b.raw)) {
      h.update(image.subarray(s.raw, s.raw + s.size));
      hashed += s.size;
    }
    h.update(image.subarray(hashed, image.length - f.certSize));
    expect(ours).toBe(h.digest('hex'));
  });

  it('a byte changed in a section: image hash mismatch, for sbverify too', () => {
    const f = peFacts(readFileSync(signed));
    const t = tampered(signed, (b) => { b[f.sections[0].raw + 0x123] ^= 0x40; });
    expect(sbverify(other, t.path)).toBe(false);
    expect(verify(t.bytes, [other])).toBe(CODES.hashMismatch);
    expect(message(CODES.hashMismatch)).toBe('image hash mismatch');
  });

  it('a byte changed in the headers: image hash mismatch; CheckSum changes do not matter', () => {
    const f = peFacts(readFileSync(signed));
    const header = tampered(signed, (b) => { b[0x4e] ^= 1; }); // the DOS stub's message
    expect(sbverify(other, header.path)).toBe(false);
    expect(verify(header.bytes, [other])).toBe(CODES.hashMismatch);
    const sum = tampered(signed, (b) => { b.writeUInt32LE(0x1234_5678, f.checksum); });
    expect(sbverify(other, sum.path)).toBe(true);
    expect(verify(sum.bytes, [other])).toBe(CODES.ok);
  });

  it('a byte changed in the RSA signature: bad RSA signature', () => {
    const t = tampered(signed, (b) => { b[firstSignatureEnd(b) - 10] ^= 0x01; });
    expect(sbverify(other, t.path)).toBe(false);
    expect(verify(t.bytes, [other])).toBe(CODES.badRsa);
    expect(message(CODES.badRsa)).toBe('bad RSA signature');
  });

  it('the signed image digest changed inside the signature: message digest mismatch', () => {
    const image = readFileSync(signed);
    writeBytes(IMAGE, image);
    ac.authenticodeImageHash(IMAGE, BigInt(image.length), OUT);
    const digest = Buffer.from(readBytes(OUT, 32));
    const at = image.indexOf(digest, peFacts(image).certOff);
    expect(at).toBeGreaterThan(0);
    const t = tampered(signed, (b) => { b[at + 5] ^= 0x80; });
    expect(sbverify(other, t.path)).toBe(false);
    expect(verify(t.bytes, [other])).toBe(CODES.digestMismatch);
  });

  it('trusting a different certificate: signer not trusted; an empty trust list too', () => {
    expect(sbverify(ca, signed)).toBe(false);
    expect(verify(readFileSync(signed), [ca, big])).toBe(CODES.notTrusted);
    expect(verify(readFileSync(signed), [])).toBe(CODES.notTrusted);
    expect(verify(readFileSync(signed), [ca, other])).toBe(CODES.ok);
    // an entry that is not a certificate matches nothing, and the list goes on after it
    writeBytes(IMAGE, readFileSync(signed));
    const junk = Buffer.from('not a certificate at all');
    writeBytes(TRUST, Buffer.concat([trustList([junk]).subarray(0, -8), trustList([other.der])]));
    expect(ac.authenticodeVerify(IMAGE, BigInt(readFileSync(signed).length), TRUST)).toBe(CODES.ok);
    expect(message(CODES.notTrusted)).toBe('signer not trusted');
  });

  it('each malformation gets its own code and name', () => {
    const f = peFacts(readFileSync(signed));
    const lfanew = tampered(signed, (b) => { b.writeUInt32LE(b.length, 0x3c); });
    expect(verify(lfanew.bytes, [other])).toBe(CODES.malformedImage);
    const raw = tampered(signed, (b) => { b.writeUInt32LE(b.length, f.sectionTable + 16); }); // SizeOfRawData past the end
    expect(verify(raw.bytes, [other])).toBe(CODES.malformedImage);
    expect(message(CODES.malformedImage)).toBe('malformed image');
    const tag = tampered(signed, (b) => { b[f.certOff + 8] = 0x31; });
    expect(verify(tag.bytes, [other])).toBe(CODES.malformedSignature);
    expect(message(CODES.malformedSignature)).toBe('malformed signature');
    // the SignerInfo names its certificate by serial number: the serial's last occurrence
    const serial = execSerial(other);
    const missing = tampered(signed, (b) => { b[b.lastIndexOf(serial) + serial.length - 1] ^= 1; });
    expect(verify(missing.bytes, [other])).toBe(CODES.signerMissing);
    expect(message(CODES.signerMissing)).toBe('signer certificate missing');
    expect(message(CODES.digestMismatch)).toBe('message digest mismatch');
    expect(message(CODES.unsupported)).toBe('unsupported algorithm');
    expect(message(77n)).toBe('unknown failure');
  });

  it('osslsigncode signatures: SHA-256 verifies, SHA-1 is an unsupported algorithm', () => {
    for (const [hash, want] of [['sha256', CODES.ok], ['sha1', CODES.unsupported]] as const) {
      const out = join(dir, `osslsigncode-${hash}.efi`);
      const r = spawnSync('osslsigncode', ['sign', '-h', hash, '-certs', other.cert, '-key', other.key, '-in', stub, '-out', out]);
      expect(r.status, r.stderr?.toString()).toBe(0);
      expect(verify(readFileSync(out), [other]), hash).toBe(want);
    }
  });

  it('an unsigned image: no signature', () => {
    expect(verify(readFileSync(stub), [other])).toBe(CODES.noSignature);
    expect(message(CODES.noSignature)).toBe('no signature');
  });
});

describe('authenticodeVerify, keys and chains', () => {
  it('an RSA-4096 signature on the arm64 stub', () => {
    const out = join(dir, 'big.efi');
    sbsign(big, systemdStub('arm64'), out);
    expect(sbverify(big, out)).toBe(true);
    expect(verify(readFileSync(out), [big])).toBe(CODES.ok);
    expect(verify(readFileSync(out), [other])).toBe(CODES.notTrusted);
  });

  it('a leaf signed by an intermediate CA: trusted through the root, the intermediate or itself', () => {
    const out = join(dir, 'chain.efi');
    sbsign(leaf, stub, out, [inter]);
    // sbverify accepts this file with any --cert at all (its verify callback lets the
    // incomplete chain through once the signature carries an intermediate), so the
    // reference for the chain is openssl verify of the signer with the same trust
    for (const [trusted, want] of [[ca, true], [inter, true], [leaf, true], [other, false]] as const) {
      expect(opensslChain(trusted, leaf, [inter]), trusted.name).toBe(want);
      expect(verify(readFileSync(out), [trusted]), trusted.name).toBe(want ? CODES.ok : CODES.notTrusted);
    }
    expect(sbverify(ca, out)).toBe(true);
  });

  it('a certificate without basicConstraints cA cannot act as an intermediate', () => {
    const sub = issued(dir, 'subleaf', leaf, false);
    const out = join(dir, 'subleaf.efi');
    sbsign(sub, stub, out, [leaf, inter]);
    expect(opensslChain(ca, sub, [leaf, inter])).toBe(false);
    expect(verify(readFileSync(out), [ca])).toBe(CODES.notTrusted);
    expect(verify(readFileSync(out), [leaf])).toBe(CODES.ok); // a trusted certificate may sign, CA or not
  });

  it('without the intermediate in the signature, only the intermediate or the leaf are trusted', () => {
    const out = join(dir, 'nochain.efi');
    sbsign(leaf, stub, out);
    expect(sbverify(ca, out)).toBe(false);
    expect(verify(readFileSync(out), [ca])).toBe(CODES.notTrusted);
    expect(verify(readFileSync(out), [inter])).toBe(CODES.ok);
  });

  it('two signatures: either trusted one verifies, the failure of both is reported', () => {
    const once = join(dir, 'once.efi');
    const twice = join(dir, 'twice.efi');
    sbsign(other, stub, once);
    sbsign(big, once, twice);
    expect(verify(readFileSync(twice), [other])).toBe(CODES.ok);
    expect(verify(readFileSync(twice), [big])).toBe(CODES.ok);
    expect(verify(readFileSync(twice), [ca])).toBe(CODES.notTrusted);
    const f = peFacts(readFileSync(twice));
    const broken = tampered(twice, (b) => { b[f.sections[1].raw] ^= 1; });
    expect(verify(broken.bytes, [big])).toBe(CODES.hashMismatch);
  });

  it('a PE32 image: the Certificate Table entry where PE32 has it', () => {
    const input = join(dir, 'pe32.efi');
    writeFileSync(input, pe32());
    const out = join(dir, 'pe32.signed.efi');
    sbsign(other, input, out);
    expect(sbverify(other, out)).toBe(true);
    expect(verify(readFileSync(out), [other])).toBe(CODES.ok);
    const t = tampered(out, (b) => { b[0x500] ^= 1; });
    expect(sbverify(other, t.path)).toBe(false);
    expect(verify(t.bytes, [other])).toBe(CODES.hashMismatch);
  });

  it('a crafted PE with data after its last section: that data is signed too', () => {
    const input = join(dir, 'crafted.efi');
    const pe = craftPe({ machine: 0x8664, sections: [{ name: '.text', size: 0x400, fill: 0xc3 }, { name: '.data', size: 0x200, fill: 0x5a }] }).data;
    writeFileSync(input, Buffer.concat([pe, Buffer.from('trailing data, hashed as well')]));
    const out = join(dir, 'crafted.signed.efi');
    sbsign(other, input, out);
    expect(sbverify(other, out)).toBe(true);
    expect(verify(readFileSync(out), [other])).toBe(CODES.ok);
    const t = tampered(out, (b) => { b[pe.length + 3] ^= 0x20; });
    expect(sbverify(other, t.path)).toBe(false);
    expect(verify(t.bytes, [other])).toBe(CODES.hashMismatch);
  });
});
