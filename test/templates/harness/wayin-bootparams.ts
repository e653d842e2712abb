// One entry for host tests of the x86-64 way in: the boot_params reader fills the
// handoff block that ram.ts turns into the memory map.
export { wayinBootParams } from '../../../templates/wayin/bootparams.ts';
export { hbBlock } from '../../../templates/wayin/build.ts';
export { ramInit } from '../../../templates/ram.ts';
export { mmGetMap } from '../../../templates/memmap.ts';
export { fnv64 } from '../../../templates/payloadcheck.ts';
