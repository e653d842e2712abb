// Shared by the host tests of the ways in: a wrapped image's record and trailer in
// simulated memory (docs/wrap.md), and reading back the handoff block a reader filled.
import { read, write, writeBytes } from '../../templates/rt/memory.ts';
import { HO, WR, WRAP_MAGIC, WRAP_TRAILER_MAGIC, WRAP_RECORD_OFFSET, REGION_SIZE } from '../../generator/loader/layout.ts';

export interface WrapInMemory {
  base: bigint; payload: bigint; size: bigint; pages: bigint; flags?: number; console?: Uint8Array;
  /** A trust list's size (flag bit 1): it follows the payload, and the trailer follows it. */
  trustSize?: bigint;
}

/** Writes the record and the trailer of a wrapped image at `w.base`; the payload is zeros. */
export function placeWrapped(w: WrapInMemory, fnv: (p: bigint, n: bigint) => bigint): void {
  const r = w.base + BigInt(WRAP_RECORD_OFFSET);
  const trust = w.payload - w.base + ((w.size + 7n) & ~7n);
  const loaded = trust + (w.trustSize ?? 0n) + 16n;
  write(r + BigInt(WR.MAGIC), 8, WRAP_MAGIC);
  write(r + BigInt(WR.VERSION), 4, 1n);
  write(r + BigInt(WR.FLAGS), 4, BigInt((w.flags ?? 0) | (w.trustSize !== undefined ? 2 : 0)));
  write(r + BigInt(WR.TRUST), 8, w.trustSize !== undefined ? trust : 0n);
  write(r + BigInt(WR.TRUST_SIZE), 8, w.trustSize ?? 0n);
  write(r + BigInt(WR.BLOB), 8, 0x1000n);
  write(r + BigInt(WR.PAYLOAD), 8, w.payload - w.base);
  write(r + BigInt(WR.PAYLOAD_SIZE), 8, w.size);
  write(r + BigInt(WR.PAYLOAD_PAGES), 8, w.pages);
  write(r + BigInt(WR.CHECK), 8, fnv(w.payload, w.size));
  write(r + BigInt(WR.LOADED_SIZE), 8, loaded);
  if (w.console) writeBytes(r + BigInt(WR.CONSOLE), w.console);
  const trailer = w.base + loaded - 16n;
  write(trailer, 8, WRAP_TRAILER_MAGIC);
  write(trailer + 8n, 8, loaded);
}

export interface Region { base: bigint; size: bigint; type: bigint; flags: bigint }

/** The regions of the handoff block at `h`. */
export function blockRegions(h: bigint): Region[] {
  const n = Number(read(h + BigInt(HO.REGION_COUNT), 4));
  const first = h + read(h + BigInt(HO.REGIONS_OFFSET), 8);
  return Array.from({ length: n }, (_, i) => {
    const r = first + BigInt(i * REGION_SIZE);
    return { base: read(r, 8), size: read(r + 8n, 8), type: read(r + 16n, 4), flags: read(r + 20n, 4) };
  });
}

/** A u64 field of the block. */
export const field = (h: bigint, off: number, width = 8): bigint => read(h + BigInt(off), width);

/** The block's command line as text. */
export function blockCmdline(h: bigint): string {
  const addr = field(h, HO.CMDLINE_ADDR);
  const n = Number(field(h, HO.CMDLINE_SIZE));
  return Buffer.from(Array.from({ length: n }, (_, i) => Number(read(addr + BigInt(i), 1)))).toString('utf8');
}
