// Keys, certificates and signed PE images for the Secure Boot verifier's tests, made with
// the tools users sign with: openssl for keys and certificates (a self-signed CA, an
// intermediate CA it signs, leaves), sbsign to sign, sbverify as the reference verdict.
// Everything is generated at test time in a temporary directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and its certificate: PEM files for the tools, DER bytes for the trust list. */
export interface Identity {
  name: string;
  key: string;
  cert: string;
  der: Buffer;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

function derOf(dir: string, cert: string): Buffer {
  const out = join(dir, `${cert}.der`);
  openssl(dir, ['x509', '-in', cert, '-outform', 'DER', '-out', out]);
  return readFileSync(out);
}

/** A self-signed CA certificate (basicConstraints CA:TRUE) with a fresh RSA key of `bits`. */
export function selfSigned(dir: string, name: string, bits = 2048): Identity {
  const [key, cert] = [`${name}.key`, `${name}.crt`];
  openssl(dir, ['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}/`,
    '-days', '3650', '-sha256', '-addext', 'basicConstraints=critical,CA:TRUE']);
  return { name, key: join(dir, key), cert: join(dir, cert), der: derOf(dir, cert) };
}

let serial = 100;

/** A certificate for a fresh key of `bits`, signed by `issuer`; a CA or a code-signing leaf. */
export function issued(dir: string, name: string, issuer: Identity, ca: boolean, bits = 2048): Identity {
  const [key, cert, csr, ext] = [`${name}.key`, `${name}.crt`, `${name}.csr`, `${name}.ext`];
  openssl(dir, ['req', '-new', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}/`]);
  writeFileSync(join(dir, ext), ca
    ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n'
    : 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', String(serial++),
    '-days', '3650', '-sha256', '-extfile', ext, '-out', cert]);
  return { name, key: join(dir, key), cert: join(dir, cert), der: derOf(dir, cert) };
}

/** Signs `input` with sbsign into `output` (adding a signature if it has some); `chain`: intermediates to include. */
export function sbsign(id: Identity, input: string, output: string, chain: Identity[] = []): Buffer {
  const add = chain.length > 0 ? ['--addcert', chainFile(id, chain)] : [];
  execFileSync('sbsign', ['--key', id.key, '--cert', id.cert, ...add, '--output', output, input], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(output);
}

function chainFile(id: Identity, chain: Identity[]): string {
  const file = `${id.key}.chain.pem`;
  writeFileSync(file, chain.map((c) => readFileSync(c.cert, 'utf8')).join(''));
  return file;
}

/** sbverify's verdict on `file` with `cert` as the only trusted certificate. */
export function sbverify(cert: Identity, file: string): boolean {
  return spawnSync('sbverify', ['--cert', cert.cert, file], { stdio: 'ignore' }).status === 0;
}

/** openssl's verdict on the chain from `signer` through `untrusted` to `trusted` (itself an anchor even if not self-signed). */
export function opensslChain(trusted: Identity, signer: Identity, untrusted: Identity[]): boolean {
  const chain = untrusted.length > 0 ? ['-untrusted', chainFile(signer, untrusted)] : [];
  return spawnSync('openssl', ['verify', '-partial_chain', '-purpose', 'any', '-CAfile', trusted.cert, ...chain, signer.cert], { stdio: 'ignore' }).status === 0;
}

/**
 * The trust list authenticodeVerify reads (templates/secureboot/chain.ts): per
 * certificate a u32 LE length and the DER bytes, zero-padded to 8 bytes; a zero length ends it.
 */
export function trustList(certs: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const der of certs) {
    const entry = Buffer.alloc(Math.ceil((4 + der.length) / 8) * 8);
    entry.writeUInt32LE(der.length, 0);
    der.copy(entry, 4);
    parts.push(entry);
  }
  parts.push(Buffer.alloc(8));
  return Buffer.concat(parts);
}

/** The PE offsets a test tampers with: CheckSum, the certificate directory, the certificate table. */
export interface PeFacts { checksum: number; certDir: number; certOff: number; certSize: number; sectionTable: number; sections: { raw: number; size: number }[] }

export function peFacts(image: Buffer): PeFacts {
  const coff = image.readUInt32LE(0x3c) + 4;
  const opt = coff + 20;
  const dirs = opt + (image.readUInt16LE(opt) === 0x20b ? 112 : 96);
  const table = opt + image.readUInt16LE(coff + 16);
  const sections = Array.from({ length: image.readUInt16LE(coff + 2) }, (_, i) => ({
    raw: image.readUInt32LE(table + i * 40 + 20), size: image.readUInt32LE(table + i * 40 + 16),
  }));
  return { checksum: opt + 64, certDir: dirs + 32, certOff: image.readUInt32LE(dirs + 32), certSize: image.readUInt32LE(dirs + 36), sectionTable: table, sections };
}
