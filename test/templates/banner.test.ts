// templates/ on the host: the same TypeScript the blob runs, over simulated memory.
import { describe, it, expect, beforeAll } from 'vitest';
import { check } from '../../generator/compiler/driver.ts';
import { loadOnHost } from '../../generator/compiler/host.ts';
import { buildHandoff } from '../../generator/loader/handoff.ts';
import { HO } from '../../generator/loader/layout.ts';
import { writeBytes } from '../../templates/rt/memory.ts';
import { takeConsole, ascii } from '../../templates/rt/intrinsics.ts';
import { Handoff } from '../../templates/handoff.ts';
import { ROOT } from '../support/debian.ts';

type Fn = (...a: bigint[]) => void;
let mod: Record<string, unknown>;
beforeAll(async () => { mod = await loadOnHost(check(`${ROOT}/templates/main.ts`)); });

describe('templates on the host', () => {
  it('lays the handoff block out exactly as the loader writes it', () => {
    const pairs: [keyof typeof Handoff, number][] = [
      ['magic', HO.MAGIC], ['version', HO.VERSION], ['size', HO.SIZE], ['flags', HO.FLAGS],
      ['imageAddr', HO.IMAGE_ADDR], ['imageSize', HO.IMAGE_SIZE], ['initrdAddr', HO.INITRD_ADDR],
      ['dtbAddr', HO.DTB_ADDR], ['cmdlineAddr', HO.CMDLINE_ADDR], ['cmdlineSize', HO.CMDLINE_SIZE],
      ['acpiRsdp', HO.ACPI_RSDP], ['smbios', HO.SMBIOS], ['consoleKind', HO.CONSOLE], ['psci', HO.PSCI],
      ['rng0', HO.RNG_SEED], ['regionCount', HO.REGION_COUNT], ['regionMax', HO.REGION_MAX],
      ['regionsOffset', HO.REGIONS_OFFSET], ['digestCount', HO.DIGEST_COUNT], ['digestsOffset', HO.DIGESTS_OFFSET],
    ];
    for (const [field, offset] of pairs) expect(Handoff[field], field).toBe(BigInt(offset));
    expect(Handoff.$size).toBe(BigInt(HO.FIXED_SIZE));
  });

  it('prints the banner line from a real handoff block', () => {
    takeConsole();
    const at = 0x4100_0000n;
    const block = buildHandoff(at, {
      image: { addr: 0x4020_0000n, size: 0x1a0_9fc0n }, initrd: { addr: 0x41c0_a000n, size: 0x3n },
      cmdline: 'console=ttyAMA0 "quoted"', rngSeed: new Uint8Array(32), regions: [], regionMax: 4, digests: [],
    });
    writeBytes(at, block);
    (mod.banner as Fn)(at, ascii('arm64'), 0x32n);
    expect(takeConsole()).toBe('gen-purgatory: arch=arm64 el=2 handoff=0x41000000 image=0x40200000+0x1a09fc0 '
      + 'initrd=0x41c0a000+0x3 cmdline="console=ttyAMA0 "quoted""\n');
  });

  it('prints hex without leading zeros, 0 and all ones included', () => {
    for (const [v, text] of [[0n, '0x0'], [0xfn, '0xf'], [0x10n, '0x10'], [2n ** 64n - 1n, '0xffffffffffffffff']] as const) {
      (mod.puthex as Fn)(v);
      expect(takeConsole()).toBe(text);
    }
  });
});
