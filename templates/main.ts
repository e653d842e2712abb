// The blob's TypeScript half: what stubs-asm calls once it has a stack and a console.
// Every module reachable from here is compiled into the blob.
export { banner } from './banner.ts';
export { puts, puthex } from './console.ts';
export { efiMain } from './firmware.ts';
// The readers of the ways in (docs/handoff.md): each arch's entry.s calls its own, so
// only that one is kept in its blob.
import './wayin/dtb.ts';
import './wayin/bootparams.ts';
