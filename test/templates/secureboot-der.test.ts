// templates/secureboot/der.ts on the host: what the strict DER reader accepts and refuses,
// and that it never reads at or past the end it is given. Also the record sizes the
// verifier's modules spell out for zeroed() against the layouts they copy.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, type HostFn } from '../support/templates.ts';
import { read, watchMemory, writeBytes } from '../../templates/rt/memory.ts';
import { ROOT } from '../support/debian.ts';

let der: Record<string, HostFn>;
beforeAll(async () => { der = await loadTemplate('templates/secureboot/der.ts'); });

const EL = 0x20_0000n;
const AT = 0x30_0001n; // odd: DER lies anywhere

/** derRead over `bytes` placed at AT with the end right after them; watches every access. */
function readElement(bytes: number[], end = bytes.length): { ok: boolean; el?: bigint[]; stray: boolean } {
  writeBytes(AT, Uint8Array.from(bytes));
  let stray = false;
  watchMemory((a, w, isWrite) => {
    const inEl = a >= EL && a + BigInt(w) <= EL + 40n;
    const inData = !isWrite && a >= AT && a + BigInt(w) <= AT + BigInt(end);
    if (!inEl && !inData) stray = true;
  });
  try {
    const ok = der.derRead(EL, AT, AT + BigInt(end)) as unknown as boolean;
    return { ok, el: ok ? [0, 8, 16, 24, 32].map((o) => read(EL + BigInt(o), 8)) : undefined, stray };
  } finally {
    watchMemory();
  }
}

describe('derRead', () => {
  it('reads short and long forms: tag, header start, content, length, next element', () => {
    expect(readElement([0x30, 0x03, 1, 2, 3, 0xff])).toEqual({ ok: true, el: [0x30n, AT, AT + 2n, 3n, AT + 5n], stray: false });
    const long = [0x04, 0x81, 0x80, ...new Array<number>(0x80).fill(7)];
    expect(readElement(long)).toEqual({ ok: true, el: [0x04n, AT, AT + 3n, 0x80n, AT + 0x83n], stray: false });
    const two = [0x30, 0x82, 0x01, 0x00, ...new Array<number>(0x100).fill(0)];
    expect(readElement(two).el?.[3]).toBe(0x100n);
    expect(readElement([0x05, 0x00])).toEqual({ ok: true, el: [0x05n, AT, AT + 2n, 0n, AT + 2n], stray: false });
  });

  it.each([
    ['indefinite length', [0x30, 0x80, 0, 0]],
    ['long form for a short length', [0x04, 0x81, 0x05, 1, 2, 3, 4, 5]],
    ['a leading zero length byte', [0x04, 0x82, 0x00, 0x80, ...new Array<number>(0x80).fill(0)]],
    ['five length bytes', [0x04, 0x85, 1, 0, 0, 0, 0]],
    ['a multi-byte tag', [0x1f, 0x81, 0x01, 0x00]],
    ['content past the end', [0x30, 0x05, 1, 2, 3]],
    ['length bytes past the end', [0x30, 0x84, 0x01]],
    ['a lone tag byte', [0x30]],
    ['nothing at all', []],
  ])('refuses %s without reading past the end', (_what, bytes) => {
    expect(readElement(bytes)).toEqual({ ok: false, el: undefined, stray: false });
  });

  it('treats the end it is given as the end, whatever follows in memory', () => {
    expect(readElement([0x30, 0x03, 1, 2, 3], 4)).toEqual({ ok: false, el: undefined, stray: false });
    expect(readElement([0x30, 0x82, 0x01, 0x00], 3)).toEqual({ ok: false, el: undefined, stray: false });
  });

  it('reads small non-negative INTEGERs and refuses others', () => {
    const value = (bytes: number[]): bigint => {
      writeBytes(AT, Uint8Array.from(bytes));
      expect(der.derRead(EL, AT, AT + BigInt(bytes.length))).toBe(true);
      return der.derSmallInt(EL, 99n);
    };
    expect(value([0x02, 0x03, 0x01, 0x00, 0x01])).toBe(65537n);
    expect(value([0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(0xffff_ffff_ffff_ffffn);
    expect(value([0x02, 0x01, 0x80])).toBe(99n); // negative
    expect(value([0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(99n); // 65 bits
    expect(value([0x02, 0x00])).toBe(99n);
    expect(value([0x04, 0x01, 0x01])).toBe(99n); // not an INTEGER
  });
});

describe('record sizes spelled out for zeroed()', () => {
  it('match the layouts and sizes they copy', async () => {
    const sizes: Record<string, bigint> = {
      DER: der.DER_SIZE as unknown as bigint,
      CERT: (await loadTemplate('templates/secureboot/x509.ts')).CERT_SIZE as unknown as bigint,
      SIGNED: (await loadTemplate('templates/secureboot/pkcs7.ts')).SIGNED_SIZE as unknown as bigint,
      SHA256_CTX: (await loadTemplate('templates/secureboot/sha256.ts')).SHA256_CTX_SIZE as unknown as bigint,
      NUM: (await loadTemplate('templates/secureboot/bignum.ts')).NUM_BYTES as unknown as bigint,
    };
    const layouts = {
      DER: (der.Der as unknown as Record<string, bigint>).$size,
      CERT: ((await loadTemplate('templates/secureboot/x509.ts')).Cert as unknown as Record<string, bigint>).$size,
      SIGNED: ((await loadTemplate('templates/secureboot/pkcs7.ts')).Signed as unknown as Record<string, bigint>).$size,
    };
    for (const [k, v] of Object.entries(layouts)) expect(sizes[k], k).toBe(v);
    expect(sizes.NUM).toBe(4n * (128n + 4n)); // 4096 bits and the CIOS carries, 8-aligned
    let copies = 0;
    for (const f of ['x509.ts', 'pkcs7.ts', 'chain.ts', 'authenticode.ts', 'rsa.ts']) {
      const text = readFileSync(join(ROOT, 'templates/secureboot', f), 'utf8');
      for (const m of text.matchAll(/^const (\w+)_BYTES: u64 = (\d+)n;/gm)) {
        expect(BigInt(m[2]), `${f}: ${m[1]}_BYTES`).toBe(sizes[m[1]]);
        copies++;
      }
    }
    expect(copies).toBe(9);
  });
});
