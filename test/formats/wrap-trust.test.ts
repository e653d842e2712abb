// `wrap --trust` (docs/wrap.md, docs/secure-boot.md): the trust list in the record and
// after the payload, the PE form sbsign and pesign sign, the trailer still found once a
// signature is appended, and certificate files that are refused with one line.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { cli, isOneLineError } from '../support/cli.ts';
import { debianKernel, systemdStub, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { testBlobFile } from '../support/test-blob.ts';
import { identifyImage } from '../../generator/formats/image.ts';
import { parsePe } from '../../generator/formats/pe.ts';
import { parseWrapped, wrapImage } from '../../generator/formats/wrap.ts';
import { readTrustFile, trustList } from '../../generator/formats/trust.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { targetByName } from '../../generator/targets/index.ts';
import { WR, WRAP_PE_HEADERS, WRAP_SIGNATURE_ROOM, WRAP_TRAILER_MAGIC } from '../../generator/loader/layout.ts';
import { SNAKEOIL, snakeoilKey, snakeoilSign } from '../../generator/qemu/kexec-secureboot.ts';

const dir = tempDir('gen-purgatory-wrap-trust-');
const LOADED: Record<Arch, number> = { arm64: 0, x86_64: 0x400 };
const certs = readTrustFile(readFileSync(SNAKEOIL.cert), SNAKEOIL.cert);
const der = new Uint8Array(new X509Certificate(readFileSync(SNAKEOIL.cert)).raw);

const blobFile = (arch: Arch): string => testBlobFile(dir, arch);

function wrapTrusted(arch: Arch, n = 1): Uint8Array {
  const file = debianKernel(arch);
  const image = new Uint8Array(readFileSync(file));
  const blob = new Uint8Array(readFileSync(blobFile(arch)));
  return wrapImage({
    image, info: identifyImage(image, file), blob, blobHeader: parseBlobHeader(blob, 'blob'), blobFile: 'blob',
    trust: trustList(Array.from({ length: n }, () => certs[0])),
  });
}

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (b: Uint8Array, at: number): number => Number(dv(b).getBigUint64(at, true));
const run = (cmd: string, args: string[]): { status: number; out: string } => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
};

describe.each(['x86_64', 'arm64'] as const)('%s: wrap --trust', (arch) => {
  const out = wrapTrusted(arch, 2);
  const base = LOADED[arch];
  const rec = base + 0x100;

  it('records the trust list after the payload and ends the loaded part with the trailer on a 512-byte boundary', () => {
    const payloadEnd = u64(out, rec + WR.PAYLOAD) + Math.ceil(u64(out, rec + WR.PAYLOAD_SIZE) / 8) * 8;
    expect(dv(out).getUint32(rec + WR.FLAGS, true) & 2).toBe(2);
    expect(u64(out, rec + WR.TRUST)).toBe(payloadEnd);
    const list = trustList([certs[0], certs[0]]);
    expect(u64(out, rec + WR.TRUST_SIZE)).toBe(list.length);
    expect(Buffer.from(out.subarray(base + payloadEnd, base + payloadEnd + list.length)).equals(Buffer.from(list))).toBe(true);
    expect(dv(out).getUint32(base + payloadEnd, true)).toBe(der.length); // u32 length, then the DER
    expect(out.length % 512).toBe(0);
    expect(u64(out, rec + WR.LOADED_SIZE)).toBe(out.length - base);
    expect(dv(out).getBigUint64(out.length - 16, true)).toBe(WRAP_TRAILER_MAGIC);
    const w = parseWrapped(out, 'w');
    expect(w).toMatchObject({ checkOk: true, trailerOk: true });
    expect(w.trust.map((c) => Buffer.from(c).equals(Buffer.from(der)))).toEqual([true, true]);
    expect(w.memSize).toBeGreaterThanOrEqual(out.length - base + WRAP_SIGNATURE_ROOM); // room for a signature
  });

  it('is a PE/COFF image: MZ, one section over the loaded part, an entry that returns EFI_UNSUPPORTED', () => {
    const pe = parsePe(out, 'w');
    expect(pe.machine).toBe(targetByName(arch).peMachine);
    expect([pe.kind, pe.sizeOfHeaders, pe.subsystem, pe.numberOfSections]).toEqual(['PE32+', WRAP_PE_HEADERS, 10, 1]);
    expect(pe.sections[0]).toMatchObject({ name: '.text', rawOffset: WRAP_PE_HEADERS, rawSize: out.length - WRAP_PE_HEADERS, virtualAddress: WRAP_PE_HEADERS });
    expect(pe.sizeOfImage).toBe(out.length);
    expect(pe.certificateTable).toBeUndefined();
    const code = targetByName(arch).efiUnsupportedEntry;
    expect([...out.subarray(pe.addressOfEntryPoint, pe.addressOfEntryPoint + code.length)]).toEqual([...code]);
    expect(pe.addressOfEntryPoint).toBe(base + 0x400);
  });
});

describe('signed with the tools users have', () => {
  const unsigned = join(dir, 'x86.wrapped');
  writeFileSync(unsigned, wrapTrusted('x86_64'));

  it('sbsign: sbverify checks it, the trailer and payload check still verify, inspect shows the signature', () => {
    const signed = join(dir, 'x86.sbsigned');
    snakeoilSign(unsigned, signed, dir);
    expect(run('sbverify', ['--cert', SNAKEOIL.cert, signed])).toMatchObject({ status: 0 });
    expect(run('sbverify', ['--list', signed]).out).toMatch(/signature 1\n.*SnakeOil/s);
    const data = new Uint8Array(readFileSync(signed));
    const w = parseWrapped(data, signed);
    expect(w).toMatchObject({ checkOk: true, trailerOk: true });
    expect(w.signature?.offset).toBe(readFileSync(unsigned).length); // appended after the loaded part
    const r = cli(['inspect', signed]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/trailer +at file offset 0x[0-9a-f]+: verified/);
    expect(r.stdout).toMatch(/trust list +C=US, ST=Colorado, L=Fort Collins, O=SnakeOil \(RSA 2048, SHA-256 [0-9a-f]{64}\)/);
    expect(r.stdout).toMatch(/signature +0x[0-9a-f]+ bytes at file offset 0x[0-9a-f]+, after the loaded part/);
    expect(run('pesign', ['-S', '-i', signed]).out).toMatch(/certificate address/);
  });

  it('pesign (NSS database): the same', () => {
    const { key, cert } = snakeoilKey(dir);
    const db = join(dir, 'nssdb');
    const p12 = join(dir, 'snakeoil.p12');
    expect(run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-name', 'snakeoil', '-out', p12, '-passout', 'pass:']).status).toBe(0);
    expect(run('mkdir', ['-p', db]).status).toBe(0);
    expect(run('certutil', ['-N', '-d', db, '--empty-password']).status).toBe(0);
    expect(run('pk12util', ['-i', p12, '-d', db, '-W', '']).status).toBe(0);
    const signed = join(dir, 'x86.pesigned');
    expect(run('pesign', ['-n', db, '-c', 'snakeoil', '-s', '-i', unsigned, '-o', signed])).toMatchObject({ status: 0 });
    expect(run('sbverify', ['--cert', SNAKEOIL.cert, signed])).toMatchObject({ status: 0 });
    expect(parseWrapped(new Uint8Array(readFileSync(signed)), signed)).toMatchObject({ checkOk: true, trailerOk: true });
  });

  it('a wrapper cut short loses its trailer (and maybe its trust list): reported, not thrown', () => {
    const data = wrapTrusted('arm64'); // an x86 setup header's syssize already refuses a short file
    for (const cut of [0x10, 0x200, 0x400]) {
      const w = parseWrapped(data.subarray(0, data.length - cut), 'cut');
      expect(w, `cut ${cut}`).toMatchObject({ trailerOk: false, checkOk: true });
      expect(w.trust.length, `cut ${cut}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('wrap --trust CLI', () => {
  const openssl = (args: string[]): void => { expect(run('openssl', args).status, args.join(' ')).toBe(0); };
  const derFile = join(dir, 'snakeoil.der');
  openssl(['x509', '-in', SNAKEOIL.cert, '-outform', 'DER', '-out', derFile]);

  it('takes PEM and DER alike, repeated, and says what it trusts', () => {
    const out = join(dir, 'cli.wrapped');
    const r = cli(['wrap', debianKernel('x86_64'), '--blob', blobFile('x86_64'), '--trust', SNAKEOIL.cert, '--trust', derFile, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/; trust list 2 certificate\(s\), PE form for signing\n/);
    expect(r.stdout.match(/^trusted C=US, ST=Colorado, L=Fort Collins, O=SnakeOil \(RSA 2048, SHA-256 [0-9a-f]{64}\) from /gm)).toHaveLength(2);
    expect(parseWrapped(new Uint8Array(readFileSync(out)), out).trust).toHaveLength(2);
  });

  it('refuses what is not an X.509 RSA certificate the verifier handles: exit 2, one line naming the file, no output', () => {
    const bad = (name: string, data: string | Uint8Array): string => {
      const f = join(dir, name);
      writeFileSync(f, data);
      return f;
    };
    const ecKey = join(dir, 'ec.key');
    const ec = join(dir, 'ec.pem');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', ecKey, '-out', ec, '-subj', '/CN=ec', '-days', '1']);
    const small = join(dir, 'rsa1024.pem');
    openssl(['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', join(dir, 'rsa1024.key'), '-out', small, '-subj', '/CN=small', '-days', '1']);
    const cases: [string, RegExp][] = [
      [bad('text.pem', 'hello\n'), /text\.pem: offset 0x0: certificate: neither a PEM nor a DER X\.509 certificate/],
      [bad('garbage.der', new Uint8Array([0x30, 0x82, 1, 0, 5])), /garbage\.der: offset 0x0: certificate: neither a PEM nor a DER/],
      [ecKey, /ec\.key: offset 0x0: PEM: no "-----BEGIN CERTIFICATE-----" block/],
      [ec, /ec\.pem: offset 0x0: certificate public key: ec, not RSA/],
      [small, /rsa1024\.pem: offset 0x0: certificate public key: RSA 1024 bits: the blob verifies 2048 to 4096/],
      [join(dir, 'missing.pem'), /certificate \S+missing\.pem: cannot read: no such file/],
    ];
    const unsignedUki = bad('unsigned.efi', buildUki({ stub: systemdStub('x86_64'), kernel: debianKernel('x86_64'), cmdline: 'x' }));
    const r = cli(['wrap', unsignedUki, '--blob', blobFile('x86_64'), '--trust', SNAKEOIL.cert, '-o', join(dir, 'refused.wrapped')]);
    expect([r.status, isOneLineError(r)], r.stderr).toEqual([2, true]);
    expect(r.stderr).toMatch(/unsigned\.efi: offset 0x[0-9a-f]+: DataDirectory\[certificate\]: IMAGE has no Authenticode signature/);
    expect(existsSync(join(dir, 'refused.wrapped'))).toBe(false);
    for (const [file, message] of cases) {
      const out = join(dir, 'refused.wrapped');
      const r = cli(['wrap', debianKernel('x86_64'), '--blob', blobFile('x86_64'), '--trust', file, '-o', out]);
      expect(r.status, file).toBe(2);
      expect(isOneLineError(r), r.stderr).toBe(true);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
