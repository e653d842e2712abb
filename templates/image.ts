// The image services (UEFI 2.10 §7.4): LoadImage, StartImage, Exit and UnloadImage.
// systemd-stub v252-v257 loads and starts the kernel it carries with them, and the first
// Linux 6.1 zboot loads its payload through a device path (LoadFile2). Each image has a
// record here; StartImage runs the entry on a stack of its own and saves, in the record,
// what Exit needs to unwind back to it, so images can start images.
import { u64, type ptr } from './rt/types.ts';
import { load64, store64, struct, zeroed, guid, fnaddr, callptr, copyMem, enterImage, leaveImage } from './rt/intrinsics.ts';
import {
  EFI_SUCCESS, EFI_LOAD_ERROR, EFI_INVALID_PARAMETER, EFI_UNSUPPORTED, EFI_BUFFER_TOO_SMALL, EFI_OUT_OF_RESOURCES, EFI_NOT_FOUND,
  EfiBootServicesData, AllocateAnyPages, EFI_PAGE_SIZE,
} from './efi.ts';
import { mmAllocate, mmFree } from './memmap.ts';
import { poolAllocate, poolFree } from './pool.ts';
import { isHandle, hdInstall, hdUninstall, hdHandleProtocol, hdLocateDevicePath } from './handles.ts';
import { dpSize } from './devicepath.ts';
import { systemTable } from './systable.ts';
import { LOADED_IMAGE_GUID, LOADED_IMAGE_DEVICE_PATH_GUID, liInit } from './loadedimage.ts';
import { peLoad, PeImage } from './peloader.ts';

/** EFI_LOAD_FILE2_PROTOCOL: { LoadFile(This, FilePath, BootPolicy, BufferSize*, Buffer) }. */
const LOAD_FILE2_GUID = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');

const MAX_IMAGES: u64 = 8n;
/** The spec asks for at least 128 KiB; the kernel's stub and systemd-stub get more. */
const STACK_SIZE: u64 = 0x10_0000n;

const FREE: u64 = 0n;
const LOADED: u64 = 1n;
const STARTED: u64 = 2n;
const RETURNED: u64 = 3n;

/** An image: the record, then its EFI_LOADED_IMAGE_PROTOCOL, then enterImage's context. */
const Rec = struct({
  handle: u64, state: u64, entry: u64, base: u64, pages: u64, stack: u64,
  prev: u64, path: u64, exitDataSize: u64, exitData: u64,
});
const CTX_SIZE: u64 = 128n;
/** Rec.$size (10 fields of 8 bytes) + LoadedImage.$size (0x60) + CTX_SIZE, 16-aligned. */
const RECORD_SIZE: u64 = 10n * 8n + 0x60n + CTX_SIZE;
const RECORDS = zeroed(MAX_IMAGES * RECORD_SIZE);

/** Scratch out-parameters for the services this module calls. */
const Slot = struct({ path: u64, device: u64, iface: u64, size: u64, buffer: u64, handle: u64 });
const SLOTS = zeroed(6n * 8n);
const INFO = zeroed(6n * 8n); // a PeImage

/** The record of the image running now (the innermost StartImage), or 0. */
let current: ptr = 0n;
/** The LoadFile2 handle the last device-path load read from. */
let loadDevice: ptr = 0n;

function record(i: u64): ptr {
  return RECORDS + i * RECORD_SIZE;
}

function field(rec: ptr, f: u64): u64 {
  return load64(rec + f);
}

function interfaceOf(rec: ptr): ptr {
  return rec + Rec.$size;
}

/** The last CTX_SIZE bytes of the record, 16-aligned as the records are. */
function ctxOf(rec: ptr): ptr {
  return rec + RECORD_SIZE - CTX_SIZE;
}

/** The record of image handle `h`, or 0. */
function find(h: ptr): ptr {
  if (h == 0n) return 0n;
  for (let i: u64 = 0n; i < MAX_IMAGES; i++) {
    if (field(record(i), Rec.state) != FREE && field(record(i), Rec.handle) == h) return record(i);
  }
  return 0n;
}

function freeRecord(): ptr {
  for (let i: u64 = 0n; i < MAX_IMAGES; i++) if (field(record(i), Rec.state) == FREE) return record(i);
  return 0n;
}

/** LoadedImage.Unload: our images cannot be unloaded from inside. */
function unloadUnsupported(_handle: ptr): u64 {
  return EFI_UNSUPPORTED;
}

/** Calls LoadFile(lf2, rest, FALSE, &size, buffer); the size goes in and out through the slot. */
function loadFile(lf2: ptr, rest: ptr, buffer: ptr): u64 {
  return callptr(load64(lf2), lf2, rest, 0n, SLOTS + Slot.size, buffer);
}

/**
 * Reads the file at `devicePath` through the LoadFile2 protocol of the handle whose
 * device path is its longest prefix (size probe, then the data), and loads it.
 */
function loadFromDevice(devicePath: ptr): u64 {
  store64(SLOTS + Slot.path, devicePath);
  if (hdLocateDevicePath(LOAD_FILE2_GUID, SLOTS + Slot.path, SLOTS + Slot.device) != EFI_SUCCESS) return EFI_NOT_FOUND;
  const device: ptr = load64(SLOTS + Slot.device);
  const rest: ptr = load64(SLOTS + Slot.path);
  if (hdHandleProtocol(device, LOAD_FILE2_GUID, SLOTS + Slot.iface) != EFI_SUCCESS) return EFI_NOT_FOUND;
  const lf2: ptr = load64(SLOTS + Slot.iface);
  store64(SLOTS + Slot.size, 0n);
  let status: u64 = loadFile(lf2, rest, 0n);
  if (status != EFI_BUFFER_TOO_SMALL) return status == EFI_SUCCESS ? EFI_LOAD_ERROR : status;
  const size: u64 = load64(SLOTS + Slot.size);
  status = poolAllocate(EfiBootServicesData, size, SLOTS + Slot.buffer);
  if (status != EFI_SUCCESS) return status;
  const buffer: ptr = load64(SLOTS + Slot.buffer);
  status = loadFile(lf2, rest, buffer);
  const got: u64 = load64(SLOTS + Slot.size);
  if (status == EFI_SUCCESS) status = peLoad(buffer, got < size ? got : size, 0n, INFO);
  poolFree(buffer);
  loadDevice = device;
  return status;
}

/** Puts the loaded image (INFO) on a new handle with its protocols, in record `rec`. */
function publish(rec: ptr, parent: ptr, device: ptr, devicePath: ptr, pathSize: u64): u64 {
  let path: ptr = 0n;
  if (devicePath != 0n) {
    if (poolAllocate(EfiBootServicesData, pathSize, SLOTS + Slot.buffer) != EFI_SUCCESS) return EFI_OUT_OF_RESOURCES;
    path = load64(SLOTS + Slot.buffer);
    copyMem(path, devicePath, pathSize);
  }
  const li: ptr = interfaceOf(rec);
  liInit(li, parent, systemTable(), device, path, load64(INFO + PeImage.base), load64(INFO + PeImage.sizeOfImage), fnaddr(unloadUnsupported));
  store64(SLOTS + Slot.handle, 0n);
  let status: u64 = hdInstall(SLOTS + Slot.handle, LOADED_IMAGE_GUID, li);
  const h: ptr = load64(SLOTS + Slot.handle);
  if (status == EFI_SUCCESS && path != 0n) {
    status = hdInstall(SLOTS + Slot.handle, LOADED_IMAGE_DEVICE_PATH_GUID, path);
    if (status != EFI_SUCCESS) hdUninstall(h, LOADED_IMAGE_GUID, li);
  }
  if (status != EFI_SUCCESS) {
    if (path != 0n) poolFree(path);
    return status;
  }
  store64(rec + Rec.handle, h);
  store64(rec + Rec.entry, load64(INFO + PeImage.entry));
  store64(rec + Rec.base, load64(INFO + PeImage.base));
  store64(rec + Rec.pages, load64(INFO + PeImage.pages));
  store64(rec + Rec.path, path);
  store64(rec + Rec.state, LOADED);
  return EFI_SUCCESS;
}

/**
 * LoadImage: from `src` (`size` bytes) or, when `src` is NULL, through LoadFile2 on the
 * device path. `devicePath` is recorded as FilePath and LoadedImageDevicePath. A NULL
 * `parent` is allowed: the emulator itself loads the first image.
 */
export function efiLoadImage(_bootPolicy: u64, parent: ptr, devicePath: ptr, src: ptr, size: u64, handleOut: ptr): u64 {
  return load(parent, devicePath, src, size, 0n, handleOut);
}

/**
 * The emulator's own LoadImage of the kernel segment: the `room` bytes the loader gave
 * the segment let the image be loaded where it lies (peLoad).
 */
export function imgLoadSegment(src: ptr, size: u64, room: u64, handleOut: ptr): u64 {
  return load(0n, 0n, src, size, room, handleOut);
}

function load(parent: ptr, devicePath: ptr, src: ptr, size: u64, room: u64, handleOut: ptr): u64 {
  if (handleOut == 0n || (parent != 0n && !isHandle(parent))) return EFI_INVALID_PARAMETER;
  if (src == 0n && devicePath == 0n) return EFI_NOT_FOUND;
  const pathSize: u64 = devicePath != 0n ? dpSize(devicePath) : 0n;
  if (devicePath != 0n && pathSize == 0n) return EFI_INVALID_PARAMETER;
  const rec: ptr = freeRecord();
  if (rec == 0n) return EFI_OUT_OF_RESOURCES;
  loadDevice = 0n;
  // The boot policy only matters to LoadFile (boot devices); LoadFile2 always gets FALSE.
  const status: u64 = src != 0n ? peLoad(src, size, room, INFO) : loadFromDevice(devicePath);
  if (status != EFI_SUCCESS) return status;
  const published: u64 = publish(rec, parent, loadDevice, devicePath, pathSize);
  if (published != EFI_SUCCESS) {
    mmFree(load64(INFO + PeImage.base), load64(INFO + PeImage.pages));
    return published;
  }
  store64(handleOut, field(rec, Rec.handle));
  return EFI_SUCCESS;
}

/** Frees what the image holds and forgets it. */
function drop(rec: ptr): void {
  const h: ptr = field(rec, Rec.handle);
  const path: ptr = field(rec, Rec.path);
  if (path != 0n) {
    hdUninstall(h, LOADED_IMAGE_DEVICE_PATH_GUID, path);
    poolFree(path);
  }
  hdUninstall(h, LOADED_IMAGE_GUID, interfaceOf(rec));
  mmFree(field(rec, Rec.base), field(rec, Rec.pages));
  store64(rec + Rec.state, FREE);
  store64(rec + Rec.handle, 0n);
}

/**
 * StartImage: runs the image's entry on a fresh stack and returns its status, whether
 * the entry returns or the image calls Exit. Exit data, if any, goes to the caller.
 */
export function efiStartImage(handle: ptr, exitDataSizePtr: ptr, exitDataPtr: ptr): u64 {
  const rec: ptr = find(handle);
  if (rec == 0n || field(rec, Rec.state) != LOADED) return EFI_INVALID_PARAMETER;
  const pages: u64 = STACK_SIZE / EFI_PAGE_SIZE;
  if (mmAllocate(AllocateAnyPages, EfiBootServicesData, pages, SLOTS + Slot.buffer) != EFI_SUCCESS) return EFI_OUT_OF_RESOURCES;
  const stack: ptr = load64(SLOTS + Slot.buffer);
  store64(rec + Rec.stack, stack);
  store64(rec + Rec.prev, current);
  store64(rec + Rec.exitDataSize, 0n);
  store64(rec + Rec.exitData, 0n);
  store64(rec + Rec.state, STARTED);
  current = rec;
  const status: u64 = enterImage(field(rec, Rec.entry), stack + STACK_SIZE, handle, systemTable(), ctxOf(rec));
  current = field(rec, Rec.prev);
  store64(rec + Rec.state, RETURNED);
  mmFree(stack, pages);
  store64(rec + Rec.stack, 0n);
  handOverExitData(rec, exitDataSizePtr, exitDataPtr);
  return status;
}

/** Gives the caller the Exit data (a pool block); without a place for it, frees it. */
function handOverExitData(rec: ptr, sizePtr: ptr, dataPtr: ptr): void {
  const data: ptr = field(rec, Rec.exitData);
  if (sizePtr != 0n) store64(sizePtr, data != 0n ? field(rec, Rec.exitDataSize) : 0n);
  if (dataPtr != 0n) store64(dataPtr, data);
  else if (data != 0n) poolFree(data);
}

/**
 * Exit: the running image unwinds to its StartImage, which returns `status`; an image
 * loaded but never started is unloaded instead. Anything else is refused.
 */
export function efiExit(handle: ptr, status: u64, exitDataSize: u64, exitData: ptr): u64 {
  const rec: ptr = find(handle);
  if (rec == 0n) return EFI_INVALID_PARAMETER;
  if (field(rec, Rec.state) == LOADED) {
    drop(rec);
    return EFI_SUCCESS;
  }
  if (field(rec, Rec.state) != STARTED || rec != current) return EFI_INVALID_PARAMETER;
  store64(rec + Rec.exitDataSize, exitData != 0n ? exitDataSize : 0n);
  store64(rec + Rec.exitData, exitData);
  leaveImage(ctxOf(rec), status);
  return EFI_SUCCESS; // not reached: leaveImage returns from StartImage
}

/** UnloadImage: only an image that is not running. */
export function efiUnloadImage(handle: ptr): u64 {
  const rec: ptr = find(handle);
  if (rec == 0n) return EFI_INVALID_PARAMETER;
  if (field(rec, Rec.state) == STARTED) return EFI_UNSUPPORTED;
  drop(rec);
  return EFI_SUCCESS;
}

/** The EFI_LOADED_IMAGE_PROTOCOL of image `handle` (to set its LoadOptions), or 0. */
export function imgLoadedImage(handle: ptr): ptr {
  const rec: ptr = find(handle);
  return rec == 0n ? 0n : interfaceOf(rec);
}

/** Forgets every image (a fresh boot; host tests call it between cases). */
export function imgReset(): void {
  for (let i: u64 = 0n; i < MAX_IMAGES; i++) {
    store64(record(i) + Rec.state, FREE);
    store64(record(i) + Rec.handle, 0n);
  }
  current = 0n;
}

/**
 * FOR HOST TESTS ONLY: points the image's entry at `entry`. On the host, callptr can
 * only call functions registered with fnaddr, not the code of a loaded image.
 */
export function imgSetEntryForTest(handle: ptr, entry: ptr): u64 {
  const rec: ptr = find(handle);
  if (rec == 0n) return EFI_INVALID_PARAMETER;
  store64(rec + Rec.entry, entry);
  return EFI_SUCCESS;
}
