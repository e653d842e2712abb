// templates/conin.ts on the host: a keyboard that never has a key.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadTemplate } from '../support/templates.ts';
import { read } from '../../templates/rt/memory.ts';
import { callptr } from '../../templates/rt/intrinsics.ts';

let ci: Record<string, unknown>;
beforeAll(async () => { ci = await loadTemplate('templates/conin.ts'); });

type Layout = Record<string, bigint>;

describe('SimpleTextInput', () => {
  it('has Reset, a ReadKeyStroke that is never ready, and a WaitForKey event', () => {
    const iface = (ci.coninInit as () => bigint)();
    const layout = ci.SimpleTextInput as Layout;
    expect(layout.$size).toBe(24n);
    expect(callptr(read(iface + layout.reset, 8), iface, 1n)).toBe(0n);
    expect(callptr(read(iface + layout.readKeyStroke, 8), iface, 0x20_0000n)).toBe(0x8000_0000_0000_0006n);
    const event = read(iface + layout.waitForKey, 8);
    expect(event).not.toBe(0n);
    expect(event).toBe((ci.coninKeyEvent as () => bigint)());
  });
});
