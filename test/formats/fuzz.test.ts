// Fuzz-style robustness: thousands of mutated small PE images (byte flips, interesting
// 32-bit values in header fields, truncations), seeded so every run is the same. Every
// rejection must be a FormatError; every acceptance must render without throwing.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FormatError, GenError } from '../../generator/errors.ts';
import { identifyImage } from '../../generator/formats/image.ts';
import { appendSections } from '../../generator/formats/pe-write.ts';
import { render, toJson } from '../../generator/commands/inspect.ts';
import { systemdStub } from '../support/debian.ts';
import { prng } from '../support/prng.ts';
import { certBlob, craftArm64Image, craftBzImage, craftPe, craftZboot, relocBlock } from './craft.ts';


function bases(): Uint8Array[] {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const relocs = new Uint8Array([...relocBlock(0x1000, [0xa000, 0xa008, 0x3010, 0]), ...relocBlock(0x1000, [0xa100, 0])]);
  const x86Stub = craftPe({ machine: 0x8664, reloc: relocs });
  const a64Stub = new Uint8Array(readFileSync(systemdStub('arm64')));
  return [
    craftPe({ reloc: relocs, cert: certBlob(0x40) }).data,
    craftArm64Image(), craftZboot(), craftBzImage(),
    appendSections(x86Stub.data, 'stub', [
      { name: '.osrel', data: text('ID=test\n') }, { name: '.cmdline', data: text('console=ttyS0') },
      { name: '.linux', data: craftBzImage() },
    ]),
    appendSections(a64Stub, 'stub', [{ name: '.cmdline', data: text('quiet') }, { name: '.linux', data: craftZboot() }]),
    new Uint8Array(readFileSync(systemdStub('x86_64'))),
  ];
}

const INTERESTING = [0, 1, 2, 0x40, 0x200, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff8];

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  let data = src.slice();
  const pick = (n: number): number => Math.floor(rand() * n);
  const offset = (): number => (rand() < 0.7 ? pick(Math.min(data.length, 0x400)) : pick(data.length));
  const count = 1 + pick(6);
  for (let i = 0; i < count && data.length > 0; i++) {
    const kind = pick(10);
    if (kind < 4) data[offset()] ^= 1 << pick(8);
    else if (kind < 6) data[offset()] = pick(256);
    else if (kind < 9) {
      const at = offset() & ~1;
      const choices = [...INTERESTING, data.length, data.length - 1, data.length + 1, pick(0x100000000)];
      const value = choices[pick(choices.length)];
      if (at + 4 <= data.length) new DataView(data.buffer).setUint32(at, value >>> 0, true);
    } else data = data.subarray(0, pick(data.length));
  }
  return data;
}

describe('fuzz', () => {
  it('3000 mutated images: only FormatError escapes, accepted ones render', () => {
    const rand = prng(0x5eed1234);
    const inputs = bases();
    const failures: string[] = [];
    const fields = new Set<string>();
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const data = mutate(inputs[i % inputs.length], rand);
      try {
        const info = identifyImage(data, `fuzz-${i}`);
        render(info);
        toJson(info);
        accepted++;
      } catch (err) {
        if (err instanceof FormatError && err instanceof GenError) fields.add(err.field.replace(/^section .* (\w+)$/, 'section * $1'));
        else failures.push(`#${i} (base ${i % inputs.length}): ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    expect(failures).toEqual([]);
    // The mutations must reach deep: many inputs survive, many distinct fields reject.
    expect(accepted).toBeGreaterThan(500);
    expect(fields.size).toBeGreaterThan(30);
  });
});
