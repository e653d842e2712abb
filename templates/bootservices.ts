// EFI_BOOT_SERVICES (UEFI 2.10 §4.4): the table in spec order, the handlers that are not
// a straight call into another module, and a named stub for every service we do not
// implement, which says so on the console and returns EFI_UNSUPPORTED. No slot is null.
import { u8, u64, type ptr } from './rt/types.ts';
import { store64, fntable, zeroed, ascii, copyMem, setMem, readTimer, timerFrequency } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER } from './efi.ts';
import { mmAllocate, mmFree, mmGetMap, mmKey } from './memmap.ts';
import { poolAllocate, poolFree } from './pool.ts';
import {
  hdInstall, hdReinstall, hdUninstall, hdHandleProtocol, hdLocateHandle, hdLocateDevicePath,
  hdOpenProtocol, hdCloseProtocol, hdOpenProtocolInformation, hdProtocolsPerHandle,
  hdLocateHandleBuffer, hdLocateProtocol, hdInstallMultiple, hdUninstallMultiple,
} from './handles.ts';
import { efiLoadImage, efiStartImage, efiExit, efiUnloadImage } from './image.ts';
import { installConfigurationTable } from './configtables.ts';
import { calculateCrc32 } from './memops.ts';
import { unsupported } from './fail.ts';
import { servicesTable } from './tableheader.ts';

const SIGNATURE: u64 = 0x5652_4553_544f_4f42n; // "BOOTSERV"
const SIZE: u64 = 0x178n;
const TABLE = zeroed(SIZE, 64n);
/** The services, in the table's (the spec's) order. */
const SERVICES = fntable([
  raiseTpl, restoreTpl, mmAllocate, mmFree, mmGetMap, poolAllocate, poolFree, createEvent,
  setTimer, waitForEvent, signalEvent, closeEvent, checkEvent, installProtocolInterface,
  hdReinstall, hdUninstall, hdHandleProtocol, reserved, registerProtocolNotify,
  hdLocateHandle, hdLocateDevicePath, installConfigurationTable, efiLoadImage,
  efiStartImage, efiExit, efiUnloadImage, exitBootServices, getNextMonotonicCount, stall,
  setWatchdogTimer, connectController, disconnectController, hdOpenProtocol,
  hdCloseProtocol, hdOpenProtocolInformation, hdProtocolsPerHandle, hdLocateHandleBuffer,
  hdLocateProtocol, hdInstallMultiple, hdUninstallMultiple, calculateCrc32, bsCopyMem,
  bsSetMem, createEventEx,
]);

const TPL_APPLICATION: u64 = 4n;
let tpl: u64 = TPL_APPLICATION;
let monotonic: u64 = 0n;
let exited: u64 = 0n;

// The stubs' names: fail.ts's unsupported() adds ": not supported, EFI_UNSUPPORTED".
const N_CREATEEVENT = ascii('CreateEvent');
const N_SETTIMER = ascii('SetTimer');
const N_WAITFOREVENT = ascii('WaitForEvent');
const N_SIGNALEVENT = ascii('SignalEvent');
const N_CLOSEEVENT = ascii('CloseEvent');
const N_CHECKEVENT = ascii('CheckEvent');
const N_RESERVED = ascii('Reserved boot service slot');
const N_REGISTERPROTOCOLNOTIFY = ascii('RegisterProtocolNotify');
const N_CONNECTCONTROLLER = ascii('ConnectController');
const N_DISCONNECTCONTROLLER = ascii('DisconnectController');
const N_CREATEEVENTEX = ascii('CreateEventEx');

function raiseTpl(newTpl: u64): u64 {
  const old: u64 = tpl;
  tpl = newTpl;
  return old;
}

function restoreTpl(oldTpl: u64): void {
  tpl = oldTpl;
}

/** Only native interfaces exist (EFI_NATIVE_INTERFACE = 0). */
function installProtocolInterface(handlePtr: ptr, guid: ptr, interfaceType: u64, iface: ptr): u64 {
  if (interfaceType != 0n) return EFI_INVALID_PARAMETER;
  return hdInstall(handlePtr, guid, iface);
}

/** The map key proves the caller saw the final memory map (Linux retries once). */
function exitBootServices(_image: ptr, mapKey: u64): u64 {
  if (mapKey != mmKey()) return EFI_INVALID_PARAMETER;
  exited = 1n;
  return EFI_SUCCESS;
}

/** Whether ExitBootServices succeeded: runtime services stop talking then. */
export function bootServicesExited(): boolean {
  return exited != 0n;
}

function getNextMonotonicCount(countPtr: ptr): u64 {
  if (countPtr == 0n) return EFI_INVALID_PARAMETER;
  monotonic++;
  store64(countPtr, monotonic);
  return EFI_SUCCESS;
}

/**
 * Busy-waits at least `microseconds` on the free-running counter. x86's TSC rate is not
 * architectural: assume the fastest any CPU runs it, since waiting longer is allowed.
 */
function stall(microseconds: u64): u64 {
  let hz: u64 = timerFrequency();
  if (hz == 0n) hz = 6_000_000_000n;
  const ticks: u64 = (microseconds * hz + 999_999n) / 1_000_000n;
  const start: u64 = readTimer();
  while (readTimer() - start < ticks) {}
  return EFI_SUCCESS;
}

/** There is no watchdog to arm or disarm: the machine never resets behind the image's back. */
function setWatchdogTimer(_timeout: u64, _code: u64, _size: u64, _data: ptr): u64 {
  return EFI_SUCCESS;
}

function bsCopyMem(dst: ptr, src: ptr, n: u64): void {
  copyMem(dst, src, n);
}

function bsSetMem(dst: ptr, n: u64, value: u64): void {
  setMem(dst, n, u8(value));
}

// Services we do not implement: events, timers, notifications and the driver model.
function createEvent(): u64 {
  return unsupported(N_CREATEEVENT);
}
function setTimer(): u64 {
  return unsupported(N_SETTIMER);
}
function waitForEvent(): u64 {
  return unsupported(N_WAITFOREVENT);
}
function signalEvent(): u64 {
  return unsupported(N_SIGNALEVENT);
}
function closeEvent(): u64 {
  return unsupported(N_CLOSEEVENT);
}
function checkEvent(): u64 {
  return unsupported(N_CHECKEVENT);
}
function reserved(): u64 {
  return unsupported(N_RESERVED);
}
function registerProtocolNotify(): u64 {
  return unsupported(N_REGISTERPROTOCOLNOTIFY);
}
function connectController(): u64 {
  return unsupported(N_CONNECTCONTROLLER);
}
function disconnectController(): u64 {
  return unsupported(N_DISCONNECTCONTROLLER);
}
function createEventEx(): u64 {
  return unsupported(N_CREATEEVENTEX);
}

/** Fills the table in spec order and returns its address. */
export function bsInit(): ptr {
  servicesTable(TABLE, SIGNATURE, SIZE, SERVICES);
  return TABLE;
}
