// One entry for host tests of the arm64 way in: the DT reader fills the handoff block
// that ram.ts turns into the memory map.
export { wayinDtb } from '../../../templates/wayin/dtb.ts';
export { ramInit } from '../../../templates/ram.ts';
export { mmGetMap } from '../../../templates/memmap.ts';
export { fnv64 } from '../../../templates/payloadcheck.ts';
