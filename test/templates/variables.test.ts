// templates/variables.ts on the host: the read-only variable store GetVariable and
// GetNextVariableName serve. With a trust list in the handoff block's payload check,
// SecureBoot reads 1, SetupMode 0 and db holds the certificates as EFI_SIGNATURE_LISTs;
// without one the store is empty, as before (docs/secure-boot.md).
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { read, write, readBytes, writeBytes, resetMemory } from '../../templates/rt/memory.ts';
import { takeConsole } from '../../templates/rt/intrinsics.ts';
import { HO } from '../../generator/loader/layout.ts';
import { readTrustFile, trustList } from '../../generator/formats/trust.ts';
import { SUCCESS, INVALID, NOT_FOUND, TOO_SMALL } from '../support/efi.ts';

const SNAKEOIL = '/usr/share/ovmf/PkKek-1-snakeoil.pem';
const H = 0x10_0000n;
const TRUST = 0x20_0000n;
const NAME = 0x30_0000n;
const GUID = 0x30_1000n;
const ATTR = 0x30_2000n;
const SIZE = 0x30_3000n;
const DATA = 0x31_0000n;

const guidBytes = (g: string): Uint8Array => {
  const h = g.replaceAll('-', '');
  const b = Buffer.from(h, 'hex');
  return new Uint8Array([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)]);
};
const GLOBAL = guidBytes('8be4df61-93ca-11d2-aa0d-00e098032b8c');
const DB_GUID = guidBytes('d719b2cb-3d3a-4596-a3bc-dad00e67656f');
const X509 = guidBytes('a5c059a1-94e4-4aa7-87b5-ab155c2bf072');
const ucs2z = (s: string): Uint8Array => new Uint8Array(Buffer.from(`${s}\0`, 'utf16le'));

const der = new Uint8Array(new X509Certificate(readFileSync(SNAKEOIL)).raw);
const certs = readTrustFile(readFileSync(SNAKEOIL), SNAKEOIL);

let v: Record<string, HostFn>;

/** A handoff block with one payload check whose trust list holds `n` copies of the snakeoil certificate (0: none). */
function handoff(n: number, flags = 0n): void {
  write(H + BigInt(HO.FLAGS), 8, flags);
  write(H + BigInt(HO.DIGEST_COUNT), 4, 1n);
  write(H + BigInt(HO.DIGESTS_OFFSET), 8, 0x100n);
  write(H + 0x100n + 24n, 8, n === 0 ? 0n : TRUST);
  if (n > 0) writeBytes(TRUST, trustList(Array.from({ length: n }, () => certs[0])));
  v.varInit(H);
}

function get(name: string, guid: Uint8Array, size: bigint, data: bigint = DATA): bigint {
  writeBytes(NAME, ucs2z(name));
  writeBytes(GUID, guid);
  write(SIZE, 8, size);
  write(ATTR, 4, 0xdeadn);
  return v.getVariable(NAME, GUID, ATTR, SIZE, data);
}

/** GetNextVariableName from (`name`, `guid`) with a `size`-byte buffer. */
function next(name: string, guid: Uint8Array, size = 0x100n): bigint {
  writeBytes(NAME, ucs2z(name));
  writeBytes(GUID, guid);
  write(SIZE, 8, size);
  return v.getNextVariableName(SIZE, NAME, GUID);
}

const nameAt = (): string => {
  const b = readBytes(NAME, 0x100);
  let n = 0;
  while (b[n] !== 0 || b[n + 1] !== 0) n += 2;
  return Buffer.from(b.subarray(0, n)).toString('utf16le');
};

beforeEach(async () => {
  resetMemory();
  takeConsole();
  v = await loadTemplate('templates/variables.ts');
});

describe('the variable store with a trust list (the blob enforces Secure Boot)', () => {
  it('SecureBoot reads 1 and SetupMode 0, one byte each, BS|RT, after a size probe', () => {
    handoff(1);
    expect(get('SecureBoot', GLOBAL, 0n)).toBe(TOO_SMALL);
    expect(read(SIZE, 8)).toBe(1n);
    expect(get('SecureBoot', GLOBAL, 1n)).toBe(SUCCESS);
    expect([read(DATA, 1), read(SIZE, 8), read(ATTR, 4)]).toEqual([1n, 1n, 6n]);
    write(DATA, 1, 0xffn);
    expect(get('SetupMode', GLOBAL, 8n)).toBe(SUCCESS);
    expect([read(DATA, 1), read(SIZE, 8), read(ATTR, 4)]).toEqual([0n, 1n, 6n]);
    expect(v.varEnforcing()).toBe(true);
  });

  it('db holds one EFI_SIGNATURE_LIST of EFI_CERT_X509_GUID per certificate, NV|BS|RT|AT', () => {
    handoff(2);
    const one = 28 + 16 + der.length;
    expect(get('db', DB_GUID, 10n)).toBe(TOO_SMALL);
    expect(read(SIZE, 8)).toBe(BigInt(2 * one));
    expect(get('db', DB_GUID, BigInt(2 * one) - 1n)).toBe(TOO_SMALL);
    expect(get('db', DB_GUID, 0x4000n)).toBe(SUCCESS);
    expect([read(SIZE, 8), read(ATTR, 4)]).toEqual([BigInt(2 * one), 0x27n]);
    for (const at of [DATA, DATA + BigInt(one)]) {
      expect(readBytes(at, 16)).toEqual(X509);
      expect([read(at + 16n, 4), read(at + 20n, 4), read(at + 24n, 4)]).toEqual([BigInt(one), 0n, BigInt(16 + der.length)]);
      expect(Buffer.from(readBytes(at + 44n, der.length)).equals(Buffer.from(der))).toBe(true);
    }
  });

  it('answers NOT_FOUND for other names and GUIDs, INVALID_PARAMETER for missing pointers', () => {
    handoff(1);
    expect(get('SecureBoot', DB_GUID, 8n)).toBe(NOT_FOUND);
    expect(get('db', GLOBAL, 8n)).toBe(NOT_FOUND);
    expect(get('dbx', DB_GUID, 8n)).toBe(NOT_FOUND);
    expect(get('SecureBootX', GLOBAL, 8n)).toBe(NOT_FOUND);
    expect(get('Secure', GLOBAL, 8n)).toBe(NOT_FOUND);
    expect(get('SecureBoot', GLOBAL, 8n, 0n)).toBe(INVALID); // big enough, but no buffer
    expect(v.getVariable(0n, GUID, ATTR, SIZE, DATA)).toBe(INVALID);
    expect(v.getVariable(NAME, 0n, ATTR, SIZE, DATA)).toBe(INVALID);
    expect(v.getVariable(NAME, GUID, ATTR, 0n, DATA)).toBe(INVALID);
    writeBytes(NAME, ucs2z('SecureBoot'));
    writeBytes(GUID, GLOBAL);
    write(SIZE, 8, 1n);
    expect(v.getVariable(NAME, GUID, 0n, SIZE, DATA)).toBe(SUCCESS); // Attributes is optional
  });

  it('GetNextVariableName walks SecureBoot, SetupMode, db, then NOT_FOUND; too small says how much', () => {
    handoff(1);
    const seen: string[] = [];
    let name = '';
    let guid: Uint8Array = new Uint8Array(16);
    for (;;) {
      const s = next(name, guid);
      if (s === NOT_FOUND) break;
      expect(s).toBe(SUCCESS);
      name = nameAt();
      guid = readBytes(GUID, 16);
      expect(read(SIZE, 8)).toBe(BigInt(2 * name.length + 2));
      seen.push(`${name} ${Buffer.from(guid).toString('hex')}`);
    }
    expect(seen).toEqual([
      `SecureBoot ${Buffer.from(GLOBAL).toString('hex')}`, `SetupMode ${Buffer.from(GLOBAL).toString('hex')}`,
      `db ${Buffer.from(DB_GUID).toString('hex')}`,
    ]);
    expect(next('SecureBoot', GLOBAL, 4n)).toBe(TOO_SMALL);
    expect(read(SIZE, 8)).toBe(20n); // "SetupMode" and its NUL
    expect(next('nonesuch', GLOBAL)).toBe(INVALID);
    expect(v.getNextVariableName(0n, NAME, GUID)).toBe(INVALID);
  });
});

describe('the variable store without a trust list', () => {
  it('is empty, as before: Secure Boot reads as off', () => {
    handoff(0);
    expect(get('SecureBoot', GLOBAL, 8n)).toBe(NOT_FOUND);
    expect(get('db', DB_GUID, 0x4000n)).toBe(NOT_FOUND);
    expect(next('', new Uint8Array(16))).toBe(NOT_FOUND);
    expect(v.varEnforcing()).toBe(false);
    expect(takeConsole()).toBe('');
  });

  it('says so, once, when the loader reports the platform booted with Secure Boot', () => {
    handoff(0, 1n);
    expect(takeConsole()).toBe('gen-purgatory: secure boot: the platform booted with Secure Boot, but this wrapper has no --trust list: the payload is not verified and SecureBoot reads as off\n');
    expect(get('SecureBoot', GLOBAL, 8n)).toBe(NOT_FOUND);
  });
});
