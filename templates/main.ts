// The blob's TypeScript half: what stubs-asm calls once it has a stack and a console.
// Every module reachable from here is compiled into the blob.
export { banner } from './banner.ts';
export { puts, puthex } from './console.ts';
export { efiMain } from './firmware.ts';
