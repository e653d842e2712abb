// One entry for host tests that need several templates/ modules sharing state (the pool
// allocator and the memory map it carves from).
export { poolAllocate, poolFree } from '../../../templates/pool.ts';
export { mmReset, mmAdd, mmGetMap, mmCount } from '../../../templates/memmap.ts';
