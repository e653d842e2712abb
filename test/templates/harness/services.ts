// One entry for host tests of the service tables and the main line: the boot and runtime
// services tables, the system and configuration tables, efiMain, and the memory map,
// protocol database and image records the services share.
export { bsInit, bootServicesExited } from '../../../templates/bootservices.ts';
export { rtInit } from '../../../templates/runtime.ts';
export { tableHeader, tableCrc } from '../../../templates/tableheader.ts';
export { systemTable } from '../../../templates/systable.ts';
export { configInit, installConfigurationTable, configTable } from '../../../templates/configtables.ts';
export { efiMain } from '../../../templates/firmware.ts';
export { mmReset, mmAdd, mmGetMap, mmKey, mmAllocate, mmFree } from '../../../templates/memmap.ts';
export { poolAllocate, poolFree } from '../../../templates/pool.ts';
export {
  hdReset, hdInstall, hdReinstall, hdUninstall, hdHandleProtocol, hdLocateHandle, hdLocateDevicePath,
  hdOpenProtocol, hdCloseProtocol, hdOpenProtocolInformation, hdProtocolsPerHandle, hdLocateHandleBuffer,
  hdLocateProtocol, hdInstallMultiple, hdUninstallMultiple,
} from '../../../templates/handles.ts';
export { efiLoadImage, efiStartImage, efiExit, efiUnloadImage, imgReset, imgLoadedImage } from '../../../templates/image.ts';
export { calculateCrc32 } from '../../../templates/memops.ts';
