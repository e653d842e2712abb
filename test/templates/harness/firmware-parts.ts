// One entry for host tests of the boot-time memory and identity map: ram.ts fills the
// memory map that paging.ts allocates its tables from.
export { ramInit, efiType } from '../../../templates/ram.ts';
export { pagingInit, mapRange } from '../../../templates/paging.ts';
export { mmGetMap, mmAllocate } from '../../../templates/memmap.ts';
export { installConfigurationTable, configInit, configTable } from '../../../templates/configtables.ts';
export { systemTable } from '../../../templates/systable.ts';
export { utf8ToUcs2 } from '../../../templates/cmdline.ts';
