// One entry for host tests of the protocol database and the protocols on it, which
// share its state and carve their pool arrays from the memory map.
export {
  isHandle, hdReset, hdInstall, hdUninstall, hdHandleProtocol, hdLocateProtocol, hdLocateHandle,
  hdReinstall, hdOpenProtocol, hdCloseProtocol, hdOpenProtocolInformation, hdProtocolsPerHandle,
  hdLocateHandleBuffer, hdInstallMultiple, hdUninstallMultiple, hdLocateDevicePath,
} from '../../../templates/handles.ts';
export { initrdInstall, initrdUninstall, initrdHandle, initrdLoadFile } from '../../../templates/loadfile2.ts';
export { poolAllocate, poolFree } from '../../../templates/pool.ts';
export { mmReset, mmAdd, mmCount } from '../../../templates/memmap.ts';
