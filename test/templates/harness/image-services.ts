// One entry for the PE loader and image services tests: the loader, the image services
// and the memory map, pools and protocol database they share.
export { peLoad } from '../../../templates/peloader.ts';
export {
  efiLoadImage, efiStartImage, efiExit, efiUnloadImage, imgLoadedImage, imgReset, imgSetEntryForTest,
} from '../../../templates/image.ts';
export { mmReset, mmAdd, mmGetMap, mmCount, mmAllocate } from '../../../templates/memmap.ts';
export { poolAllocate, poolFree } from '../../../templates/pool.ts';
export { hdReset, hdInstall, hdHandleProtocol, isHandle } from '../../../templates/handles.ts';
export { systemTable } from '../../../templates/systable.ts';
