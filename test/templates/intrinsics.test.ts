// The machine-control intrinsics on the host's simulated machine (the compiled forms
// are covered by test/compiler/programs/190 and the GNU as cross-check of the stubs).
import { describe, it, expect } from 'vitest';
import { inb, inw, inl, outb, outw, outl, readTimer, timerFrequency, callEntry, fnaddr } from '../../templates/rt/intrinsics.ts';

describe('host intrinsics', () => {
  it('model I/O ports: reads float high until written, writes keep their width', () => {
    expect(inb(0x80n)).toBe(0xffn);
    outb(0x3f8n, 0x141n);
    expect(inb(0x3f8n)).toBe(0x41n);
    outw(0x3fan, 0x1_2345n);
    expect(inw(0x3fan)).toBe(0x2345n);
    outl(0xcf8n, 0x8000_0000n);
    expect(inl(0xcf8n)).toBe(0x8000_0000n);
  });

  it('call an entry point with two arguments and give a rising timer', () => {
    const f = (a: bigint, b: bigint): bigint => a * 10n + b;
    expect(callEntry(fnaddr(f), 0x1000n, 4n, 2n)).toBe(42n);
    const t0 = readTimer();
    expect(readTimer() >= t0).toBe(true);
    expect(timerFrequency()).toBeGreaterThan(0n);
  });
});
