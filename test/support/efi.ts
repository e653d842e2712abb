// EFI status codes as the host tests compare them (UEFI 2.10 Appendix D): the values
// the compiled services return, as 64-bit patterns; and a reader for GetMemoryMap.
import { expect } from 'vitest';
import { read, write } from '../../templates/rt/memory.ts';

export const SUCCESS = 0n;
export const LOAD_ERROR = 0x8000_0000_0000_0001n;
export const INVALID = 0x8000_0000_0000_0002n;
export const UNSUPPORTED = 0x8000_0000_0000_0003n;
export const TOO_SMALL = 0x8000_0000_0000_0005n;
export const NOT_READY = 0x8000_0000_0000_0006n;
export const OUT_OF_RESOURCES = 0x8000_0000_0000_0009n;
export const NOT_FOUND = 0x8000_0000_0000_000en;
export const ALREADY_STARTED = 0x8000_0000_0000_0014n;
export const ABORTED = 0x8000_0000_0000_0015n;

/** One descriptor of a GetMemoryMap result, the fields the tests look at. */
export interface MapEntry { type: bigint; start: bigint; pages: bigint }

/** Calls GetMemoryMap with its buffer at `scratch` (simulated memory) and decodes it. */
export function readMemoryMap(getMap: (...a: bigint[]) => bigint, scratch: bigint): MapEntry[] {
  write(scratch, 8, 0x1000n);
  expect(getMap(scratch, scratch + 0x10n, 0n, 0n, 0n)).toBe(SUCCESS);
  return Array.from({ length: Number(read(scratch, 8) / 48n) }, (_, i) => {
    const d = scratch + 0x10n + BigInt(48 * i);
    return { type: read(d, 4), start: read(d + 8n, 8), pages: read(d + 24n, 8) };
  });
}
