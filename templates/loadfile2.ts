// The initrd as Linux fetches it from firmware: a handle carrying the device path
// VenMedia(LINUX_EFI_INITRD_MEDIA_GUID)/End and EFI_LOAD_FILE2_PROTOCOL, whose LoadFile
// copies the initrd the loader placed in memory. The stub finds the handle with
// LocateDevicePath, probes the size with a NULL buffer, allocates, then loads.
import { u64, type ptr } from './rt/types.ts';
import { load64, store64, copyMem, fnaddr, guid, struct, zeroed } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_UNSUPPORTED, EFI_BUFFER_TOO_SMALL, EFI_NOT_FOUND, EFI_ALREADY_STARTED } from './efi.ts';
import { DEVICE_PATH_GUID, dpIsEnd, dpVendorMedia } from './devicepath.ts';
import { hdInstallMultiple, hdUninstallMultiple, hdHandleProtocol } from './handles.ts';

export const LOAD_FILE2_GUID = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');
export const LINUX_EFI_INITRD_MEDIA_GUID = guid('5568e427-68fc-4f3d-ac74-ca555231cc68');

/** EFI_LOAD_FILE2_PROTOCOL: its one member. */
export const LoadFile2 = struct({ loadFile: u64 });

const INTERFACE = zeroed(8n, 8n);
/** VenMedia(INITRD)/End: DP_VENDOR_MEDIA_SIZE bytes. */
const DEVICE_PATH = zeroed(24n, 8n);
/** Where InstallMultipleProtocolInterfaces returns the handle (0 while uninstalled). */
const HANDLE = zeroed(8n, 8n);
const SCRATCH = zeroed(8n, 8n);
let initrdAddr: u64 = 0n;
let initrdSize: u64 = 0n;

/**
 * LoadFile(This, FilePath, BootPolicy, BufferSize*, Buffer): FilePath is what
 * LocateDevicePath left of the initrd path, its End node; BootPolicy is a BOOLEAN.
 */
export function initrdLoadFile(_this: ptr, filePath: ptr, bootPolicy: u64, bufferSizePtr: ptr, buffer: ptr): u64 {
  if ((bootPolicy & 0xffn) != 0n) return EFI_UNSUPPORTED;
  if (filePath == 0n) return EFI_INVALID_PARAMETER;
  if (!dpIsEnd(filePath)) return EFI_NOT_FOUND;
  if (bufferSizePtr == 0n) return EFI_INVALID_PARAMETER;
  if (buffer == 0n || load64(bufferSizePtr) < initrdSize) {
    store64(bufferSizePtr, initrdSize);
    return EFI_BUFFER_TOO_SMALL;
  }
  copyMem(buffer, initrdAddr, initrdSize);
  store64(bufferSizePtr, initrdSize);
  return EFI_SUCCESS;
}

/**
 * Publishes the initrd at [addr, addr+size): a new handle with its device path and
 * LoadFile2, installed together. EFI_ALREADY_STARTED when one is installed already.
 */
export function initrdInstall(addr: u64, size: u64): u64 {
  if (initrdHandle() != 0n) return EFI_ALREADY_STARTED;
  store64(HANDLE, 0n);
  initrdAddr = addr;
  initrdSize = size;
  dpVendorMedia(DEVICE_PATH, LINUX_EFI_INITRD_MEDIA_GUID);
  store64(INTERFACE + LoadFile2.loadFile, fnaddr(initrdLoadFile));
  return hdInstallMultiple(HANDLE, DEVICE_PATH_GUID, DEVICE_PATH, LOAD_FILE2_GUID, INTERFACE, 0n,
    0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n);
}

/** The initrd's handle, 0 when none is installed (a payload may have taken it down). */
export function initrdHandle(): ptr {
  const h: ptr = load64(HANDLE);
  if (h == 0n || hdHandleProtocol(h, LOAD_FILE2_GUID, SCRATCH) != EFI_SUCCESS) return 0n;
  return load64(SCRATCH) == INTERFACE ? h : 0n;
}

/** Takes the handle down again (the host tests; a payload would use Uninstall*). */
export function initrdUninstall(): u64 {
  const h: ptr = initrdHandle();
  if (h == 0n) return EFI_NOT_FOUND;
  const status: u64 = hdUninstallMultiple(h, DEVICE_PATH_GUID, DEVICE_PATH, LOAD_FILE2_GUID, INTERFACE, 0n,
    0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n);
  if (status == EFI_SUCCESS) store64(HANDLE, 0n);
  return status;
}
