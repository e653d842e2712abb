// The wrapped image (docs/wrap.md) built in-process from the real Debian kernels, zboot
// and UKIs: every header field a stock loader reads, the record, the trailer, the check,
// the payload carried byte for byte, and parseWrapped reading back damaged files.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { prng } from '../support/prng.ts';
import { craftBzImage, craftPe, craftZboot } from './craft.ts';
import { identifyImage, type ImageInfo } from '../../generator/formats/image.ts';
import { parseArm64Header } from '../../generator/formats/arm64-image.ts';
import { parseSetupHeader } from '../../generator/formats/bzimage.ts';
import { fnv1a64, parseWrapped, wrapImage, wrappedPayload, findWrapRecord } from '../../generator/formats/wrap.ts';
import { testBlob, WAYIN } from '../support/test-blob.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { FormatError } from '../../generator/errors.ts';
import { WR, WRAP_MAGIC, WRAP_TRAILER_MAGIC } from '../../generator/loader/layout.ts';
import type { ConsoleChoice } from '../../generator/loader/console.ts';


/** FNV-1a-64 the slow, obvious way: the reference the fast one must match. */
function fnvReference(data: Uint8Array): bigint {
  const padded = new Uint8Array(Math.ceil(data.length / 8) * 8);
  padded.set(data);
  const v = new DataView(padded.buffer);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < padded.length; i += 8) h = ((h ^ v.getBigUint64(i, true)) * 0x100000001b3n) % (1n << 64n);
  return h;
}

const files = new Map<string, { image: Uint8Array; info: ImageInfo }>();
function load(file: string, bytes?: Uint8Array): { image: Uint8Array; info: ImageInfo } {
  let f = files.get(file);
  if (!f) {
    const image = bytes ?? new Uint8Array(readFileSync(file));
    files.set(file, (f = { image, info: identifyImage(image, file) }));
  }
  return f;
}

function wrapOf(file: string, arch: Arch, opts: { bytes?: Uint8Array; console?: ConsoleChoice; blob?: Uint8Array } = {}): Uint8Array {
  const { image, info } = load(file, opts.bytes);
  const blob = opts.blob ?? testBlob(arch);
  return wrapImage({ image, info, blob, blobHeader: parseBlobHeader(blob, 'blob.bin'), blobFile: 'blob.bin', console: opts.console });
}

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (b: Uint8Array, at: number): number => Number(dv(b).getBigUint64(at, true));
const PAGE = 0x1000;

/** The record, trailer, blob and payload, wherever the loaded part starts. */
function expectBody(out: Uint8Array, base: number, file: string, arch: Arch): void {
  const { image, info } = load(file);
  const blob = testBlob(arch);
  const bh = parseBlobHeader(blob, 'blob');
  const rec = base + 0x100;
  const payload = u64(out, rec + WR.PAYLOAD);
  expect(dv(out).getBigUint64(rec + WR.MAGIC, true)).toBe(WRAP_MAGIC);
  expect(dv(out).getUint32(rec + WR.VERSION, true)).toBe(1);
  expect(u64(out, rec + WR.BLOB)).toBe(0x1000);
  expect(payload % Math.max(PAGE, info.pe.sectionAlignment)).toBe(0); // in place
  expect(payload).toBeGreaterThanOrEqual(0x1000 + bh.memSize);
  expect(payload - (0x1000 + bh.memSize)).toBeLessThan(Math.max(PAGE, info.pe.sectionAlignment));
  expect(u64(out, rec + WR.PAYLOAD_SIZE)).toBe(image.length);
  expect(u64(out, rec + WR.PAYLOAD_PAGES)).toBe(Math.ceil(Math.max(info.pe.sizeOfImage, image.length) / PAGE));
  expect(dv(out).getBigUint64(rec + WR.CHECK, true)).toBe(fnvReference(image));
  expect(u64(out, rec + WR.LOADED_SIZE)).toBe(out.length - base);
  expect(Buffer.from(out.subarray(base + 0x1000, base + 0x1000 + blob.length)).equals(Buffer.from(blob))).toBe(true);
  expect(out.subarray(base + 0x1000 + blob.length, base + payload).every((b) => b === 0)).toBe(true);
  expect(Buffer.from(out.subarray(base + payload, base + payload + image.length)).equals(Buffer.from(image))).toBe(true);
  const trailer = base + payload + Math.ceil(image.length / 8) * 8;
  expect(trailer + 16).toBe(out.length); // the file ends with the trailer
  expect(dv(out).getBigUint64(trailer, true)).toBe(WRAP_TRAILER_MAGIC);
  expect(u64(out, trailer + 8)).toBe(out.length - base);
}

describe('fnv1a64', () => {
  it('matches the reference on every tail length, aligned or not', () => {
    const data = new Uint8Array(4099).map((_, i) => (i * 131 + (i >> 3)) & 0xff);
    for (let n = 0; n <= 17; n++) expect(fnv1a64(data.subarray(0, n)), `length ${n}`).toBe(fnvReference(data.subarray(0, n)));
    expect(fnv1a64(data)).toBe(fnvReference(data));
    expect(fnv1a64(data.subarray(1))).toBe(fnvReference(data.subarray(1))); // byteOffset 1: the copying path
    expect(fnv1a64(new Uint8Array(0))).toBe(0xcbf29ce484222325n);
  });
});

describe('arm64: wrapped as an Image', () => {
  it('the Debian EFI-stub Image: header fields kexec-tools and kexec_file_load read', () => {
    const file = debianKernel('arm64');
    const out = wrapOf(file, 'arm64');
    const v = dv(out);
    expect(v.getUint32(0x38, true)).toBe(0x644d5241); // "ARM\x64"
    expect(u64(out, 0x08)).toBe(0); // text_offset
    const imageSize = u64(out, 0x10);
    expect(imageSize).toBeGreaterThanOrEqual(out.length);
    expect(imageSize % PAGE).toBe(0);
    const { info } = load(file);
    expect(imageSize).toBeGreaterThanOrEqual(u64(out, 0x100 + WR.PAYLOAD) + info.pe.sizeOfImage);
    expect(u64(out, 0x18)).toBe(0xa); // LE, 4K pages, anywhere
    const code0 = v.getUint32(0, true);
    expect(code0 >>> 26).toBe(0b000101); // b
    expect((code0 & 0x3ffffff) * 4).toBe(0x1000 + WAYIN);
    expect(v.getUint32(0x3c, true)).toBe(0); // no PE header: not an EFI application itself
    const h = parseArm64Header(out, 'wrapped');
    expect([h.pageSize, h.placeAnywhere, h.bigEndian]).toEqual([4096, true, false]);
    expect(dv(out).getUint32(0x100 + WR.FLAGS, true)).toBe(0);
    expectBody(out, 0, file, 'arm64');
  });

  it('zboot vmlinuz.efi', () => {
    const out = wrapOf(ZBOOT_FIXTURE, 'arm64');
    expect(dv(out).getUint32(0x38, true)).toBe(0x644d5241);
    expect(u64(out, 0x10)).toBeGreaterThanOrEqual(out.length);
    expectBody(out, 0, ZBOOT_FIXTURE, 'arm64');
    expect(parseWrapped(out, 'z.wrapped')).toMatchObject({ format: 'arm64-image', checkOk: true, trailerOk: true });
  });

  it('reads back: record, blob, entry, console; the payload identifies as IMAGE did', () => {
    const file = debianKernel('arm64');
    const con: ConsoleChoice = { kind: 'pl011', space: 'mmio', base: 0x9000000n, regShift: 0, regWidth: 4, baud: 115200 };
    const out = wrapOf(file, 'arm64', { console: con });
    const c = 0x100 + WR.CONSOLE;
    expect([dv(out).getUint32(c, true), dv(out).getUint32(c + 4, true), u64(out, c + 8), dv(out).getUint32(c + 20, true), dv(out).getUint32(c + 24, true)])
      .toEqual([1, 0, 0x9000000, 4, 115200]);
    const w = parseWrapped(out, 'a.wrapped');
    expect(w).toMatchObject({ format: 'arm64-image', arch: 'arm64', loadedOffset: 0, entry: 0x1000 + WAYIN, checkOk: true, trailerOk: true });
    expect(w.record.console).toEqual(con);
    expect(w.blob.wayinOffset).toBe(WAYIN);
    expect(findWrapRecord(out)).toEqual({ format: 'arm64-image', loadedOffset: 0 });
    const inner = identifyImage(wrappedPayload(out, w), 'payload');
    expect(inner.format).toBe('arm64-image');
    expect(inner.pe.sizeOfImage).toBe(load(file).info.pe.sizeOfImage);
  });

  it('a UKI with its own .cmdline sets flag 0; one without leaves it clear', () => {
    const own = buildUki({ stub: systemdStub('arm64'), kernel: ZBOOT_FIXTURE, cmdline: 'console=ttyAMA0 root=/dev/vda' });
    const none = buildUki({ stub: systemdStub('arm64'), kernel: ZBOOT_FIXTURE, osrel: 'ID=test\n' });
    const withCmdline = wrapOf('own.efi', 'arm64', { bytes: own });
    expect(dv(withCmdline).getUint32(0x100 + WR.FLAGS, true)).toBe(1);
    expect(parseWrapped(withCmdline, 'own').record.ukiCmdline).toBe(true);
    expectBody(withCmdline, 0, 'own.efi', 'arm64');
    expect(dv(wrapOf('none.efi', 'arm64', { bytes: none })).getUint32(0x100 + WR.FLAGS, true)).toBe(0);
  });
});

describe('x86_64: wrapped as a bzImage', () => {
  it('the Debian bzImage: setup header fields both kexec loaders read', () => {
    const file = debianKernel('x86_64');
    const out = wrapOf(file, 'x86_64');
    const v = dv(out);
    expect(out[0x1f1]).toBe(1); // setup_sects: the loaded part starts at 0x400
    expect(v.getUint16(0x1fe, true)).toBe(0xaa55);
    expect(Buffer.from(out.subarray(0x202, 0x206)).toString('latin1')).toBe('HdrS');
    expect(v.getUint16(0x206, true)).toBeGreaterThanOrEqual(0x20c);
    expect(out[0x200]).toBe(0xeb);
    expect(0x202 + out[0x201]).toBeGreaterThanOrEqual(0x264); // the copied header covers init_size
    expect(0x202 + out[0x201] - 0x1f1).toBeLessThanOrEqual(0x7f); // and stays within struct setup_header
    expect(out[0x211] & 1).toBe(1); // LOADED_HIGH
    expect(v.getUint16(0x236, true) & 3).toBe(3); // KERNEL_64 | CAN_BE_LOADED_ABOVE_4G
    expect(v.getUint16(0x236, true) & 0x0c).toBe(0); // no EFI handover to be tempted by
    const { info } = load(file);
    const initSize = v.getUint32(0x260, true);
    expect(initSize).toBeGreaterThanOrEqual(out.length - 0x400);
    expect(initSize % PAGE).toBe(0);
    expect(initSize).toBeGreaterThanOrEqual(u64(out, 0x500 + WR.PAYLOAD) + info.pe.sizeOfImage);
    const align = v.getUint32(0x230, true);
    expect(align).toBeGreaterThanOrEqual(0x200000);
    expect(align % info.pe.sectionAlignment).toBe(0); // IMAGE lands aligned
    expect(out[0x234]).toBe(1); // relocatable
    expect(v.getUint32(0x238, true)).toBeGreaterThanOrEqual(2047); // cmdline_size
    expect(v.getUint32(0x1f4, true) * 16 + 0x400).toBeLessThanOrEqual(out.length); // syssize
    expect(out[0x600]).toBe(0xe9); // jmp rel32 at L + 0x200
    expect(0x205 + v.getInt32(0x601, true)).toBe(0x1000 + WAYIN);
    expect(out.subarray(0x400, 0x500).every((b) => b === 0)).toBe(true);
    const s = parseSetupHeader(out, 'wrapped');
    expect([s.setupSize, s.handoverOffset]).toEqual([0x400, 0]);
    expectBody(out, 0x400, file, 'x86_64');
    expect(parseWrapped(out, 'x.wrapped')).toMatchObject({ format: 'x86-bzimage', loadedOffset: 0x400, entry: 0x1000 + WAYIN, checkOk: true, trailerOk: true });
  });

  it('an x86-64 UKI with .cmdline', () => {
    const uki = buildUki({ stub: systemdStub('x86_64'), kernel: debianKernel('x86_64'), cmdline: 'console=ttyS0' });
    const out = wrapOf('uki-x86.efi', 'x86_64', { bytes: uki });
    expect(dv(out).getUint32(0x500 + WR.FLAGS, true)).toBe(1);
    expectBody(out, 0x400, 'uki-x86.efi', 'x86_64');
    expect(identifyImage(wrappedPayload(out, parseWrapped(out, 'u')), 'p').format).toBe('uki');
  });

  it('refuses an IMAGE whose memory would not fit init_size', () => {
    const image = craftBzImage();
    const info = identifyImage(image, 'big.efi');
    info.pe.sizeOfImage = 0xffff_f000;
    const blob = testBlob('x86_64');
    expect(() => wrapImage({ image, info, blob, blobHeader: parseBlobHeader(blob, 'b'), blobFile: 'b' }))
      .toThrow(/^big\.efi: offset 0x[0-9a-f]+: SizeOfImage: .*32-bit init_size/);
  });
});

describe('wrapImage refuses what cannot be wrapped', () => {
  const attempt = (image: Uint8Array, blob: Uint8Array): unknown => {
    try {
      wrapImage({ image, info: identifyImage(image, 'in.efi'), blob, blobHeader: parseBlobHeader(blob, 'b.bin'), blobFile: 'b.bin' });
    } catch (err) {
      return err;
    }
    return undefined;
  };
  const kernel = (): Uint8Array => load(ZBOOT_FIXTURE).image;

  it('a PE that is not a kernel, a blob of the other machine, a blob without a way in', () => {
    const plain = attempt(craftPe().data, testBlob('arm64'));
    expect(plain).toBeInstanceOf(FormatError);
    expect(String(plain)).toMatch(/in\.efi: offset 0x40: PE header: a PE image, but not an EFI-stub kernel/);
    expect(String(attempt(kernel(), testBlob('x86_64')))).toMatch(/b\.bin: offset 0xc: arch: blob for machine 0x8664, but IMAGE is arm64/);
    expect(String(attempt(kernel(), testBlob('arm64', 0)))).toMatch(/b\.bin: offset 0x38: way-in entry offset: 0x0 is not code: this blob has no way-in entry/);
    expect(String(attempt(kernel(), testBlob('arm64', 0x1236)))).toMatch(/way-in entry offset: 0x1236 is not a multiple of 4/);
  });
});

describe('parseWrapped on damaged files', () => {
  const fresh = (): Uint8Array => wrapOf(ZBOOT_FIXTURE, 'arm64').slice();
  const payloadAt = (b: Uint8Array): number => u64(b, 0x100 + WR.PAYLOAD);

  it('a flipped payload byte: the check says so', () => {
    const b = fresh();
    b[payloadAt(b) + 0x1234] ^= 0x5a;
    const w = parseWrapped(b, 'd');
    expect([w.checkOk, w.trailerOk]).toEqual([false, true]);
    expect(w.computedCheck).toBe(fnvReference(wrappedPayload(b, w)));
  });

  it('a lost or cut trailer: reported, not refused', () => {
    const zeroed = fresh();
    zeroed.fill(0, zeroed.length - 16);
    expect(parseWrapped(zeroed, 'z')).toMatchObject({ checkOk: true, trailerOk: false, trailer: { present: true, magicOk: false } });
    const cut = fresh().subarray(0, -8);
    expect(parseWrapped(cut, 'c')).toMatchObject({ trailerOk: false, trailer: { present: false } });
  });

  it('structural damage is a FormatError naming the offset and field', () => {
    const truncated = fresh().subarray(0, 0x40000);
    expect(() => parseWrapped(truncated, 't')).toThrow(/^t: offset 0x[0-9a-f]+: payload: needs \d+ bytes at 0x[0-9a-f]+ but the file is only 0x40000 bytes \(truncated\?\)$/);
    const branch = fresh();
    dv(branch).setUint32(0, 0x14000400, true);
    expect(() => parseWrapped(branch, 'b')).toThrow(/^b: offset 0x0: entry: jumps to 0x1000, not to the blob's way-in entry 0x2234$/);
    const small = fresh();
    dv(small).setBigUint64(0x10, 0x1000n, true);
    expect(() => parseWrapped(small, 's')).toThrow(/^s: offset 0x10: image_size: 0x1000 does not cover the loaded part/);
    const version = fresh();
    dv(version).setUint32(0x100 + WR.VERSION, 2, true);
    expect(() => parseWrapped(version, 'v')).toThrow(/^v: offset 0x108: wrap record version: 2 is not 1$/);
    expect(() => parseWrapped(load(ZBOOT_FIXTURE).image, 'plain')).toThrow(/^plain: offset 0x100: wrap record: no GPWRAPIN record/);
  });
});

describe('parseWrapped fuzz', () => {

  const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff];

  it('2000 mutated wrapped images: only FormatError escapes, from parseWrapped and identifyImage', () => {
    const wrapped = [wrapOf('tiny-zboot.efi', 'arm64', { bytes: craftZboot() }), wrapOf('tiny-bz.efi', 'x86_64', { bytes: craftBzImage() })];
    const rnd = prng(0x5eed);
    const pick = (n: number): number => Math.floor(rnd() * n);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const base = wrapped[i % 2];
      const loaded = i % 2 === 0 ? 0 : 0x400;
      let b = base.slice();
      // the headers, the record, the jump, the blob header, the trailer
      const spots = [pick(0x300), loaded + 0x100 + pick(0x60), loaded + 0x200 + pick(8), loaded + 0x1000 + pick(0x60), b.length - 1 - pick(16)];
      const at = spots[pick(spots.length)] & ~3;
      if (rnd() < 0.5) b[at] ^= 1 << pick(8);
      else dv(b).setUint32(Math.min(at, b.length - 4), INTERESTING[pick(INTERESTING.length)], true);
      if (rnd() < 0.1) b = b.subarray(0, pick(b.length));
      for (const attempt of [() => parseWrapped(b, 'f'), () => identifyImage(b, 'f')]) {
        try {
          attempt();
          accepted++;
        } catch (err) {
          if (!(err instanceof FormatError)) throw new Error(`case ${i}: ${String(err)}`);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100); // most mutations leave a readable file
  });
});
