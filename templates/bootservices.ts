// EFI_BOOT_SERVICES (UEFI 2.10 §4.4): the table in spec order, the handlers that are not
// a straight call into another module, and a named stub for every service we do not
// implement, which says so on the console and returns EFI_UNSUPPORTED. No slot is null.
import { u8, u64, type ptr } from './rt/types.ts';
import { store64, fnaddr, zeroed, ascii, copyMem, setMem, readTimer, timerFrequency } from './rt/intrinsics.ts';
import {
  EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_UNSUPPORTED,
} from './efi.ts';
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
import { note } from './fail.ts';
import { tableHeader, tableSlot } from './tableheader.ts';

const SIGNATURE: u64 = 0x5652_4553_544f_4f42n; // "BOOTSERV"
const SIZE: u64 = 0x178n;
const TABLE = zeroed(SIZE, 64n);

const TPL_APPLICATION: u64 = 4n;
let tpl: u64 = TPL_APPLICATION;
let monotonic: u64 = 0n;
let exited: u64 = 0n;

const M_CREATEEVENT = ascii('CreateEvent: not supported, EFI_UNSUPPORTED');
const M_SETTIMER = ascii('SetTimer: not supported, EFI_UNSUPPORTED');
const M_WAITFOREVENT = ascii('WaitForEvent: not supported, EFI_UNSUPPORTED');
const M_SIGNALEVENT = ascii('SignalEvent: not supported, EFI_UNSUPPORTED');
const M_CLOSEEVENT = ascii('CloseEvent: not supported, EFI_UNSUPPORTED');
const M_CHECKEVENT = ascii('CheckEvent: not supported, EFI_UNSUPPORTED');
const M_RESERVED = ascii('Reserved boot service slot called, EFI_UNSUPPORTED');
const M_REGISTERPROTOCOLNOTIFY = ascii('RegisterProtocolNotify: not supported, EFI_UNSUPPORTED');
const M_CONNECTCONTROLLER = ascii('ConnectController: not supported, EFI_UNSUPPORTED');
const M_DISCONNECTCONTROLLER = ascii('DisconnectController: not supported, EFI_UNSUPPORTED');
const M_CREATEEVENTEX = ascii('CreateEventEx: not supported, EFI_UNSUPPORTED');

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
  note(M_CREATEEVENT);
  return EFI_UNSUPPORTED;
}
function setTimer(): u64 {
  note(M_SETTIMER);
  return EFI_UNSUPPORTED;
}
function waitForEvent(): u64 {
  note(M_WAITFOREVENT);
  return EFI_UNSUPPORTED;
}
function signalEvent(): u64 {
  note(M_SIGNALEVENT);
  return EFI_UNSUPPORTED;
}
function closeEvent(): u64 {
  note(M_CLOSEEVENT);
  return EFI_UNSUPPORTED;
}
function checkEvent(): u64 {
  note(M_CHECKEVENT);
  return EFI_UNSUPPORTED;
}
function reserved(): u64 {
  note(M_RESERVED);
  return EFI_UNSUPPORTED;
}
function registerProtocolNotify(): u64 {
  note(M_REGISTERPROTOCOLNOTIFY);
  return EFI_UNSUPPORTED;
}
function connectController(): u64 {
  note(M_CONNECTCONTROLLER);
  return EFI_UNSUPPORTED;
}
function disconnectController(): u64 {
  note(M_DISCONNECTCONTROLLER);
  return EFI_UNSUPPORTED;
}
function createEventEx(): u64 {
  note(M_CREATEEVENTEX);
  return EFI_UNSUPPORTED;
}

/** Fills the table in spec order and returns its address. */
export function bsInit(): ptr {
  tableSlot(TABLE, 0n, fnaddr(raiseTpl));
  tableSlot(TABLE, 1n, fnaddr(restoreTpl));
  tableSlot(TABLE, 2n, fnaddr(mmAllocate));
  tableSlot(TABLE, 3n, fnaddr(mmFree));
  tableSlot(TABLE, 4n, fnaddr(mmGetMap));
  tableSlot(TABLE, 5n, fnaddr(poolAllocate));
  tableSlot(TABLE, 6n, fnaddr(poolFree));
  tableSlot(TABLE, 7n, fnaddr(createEvent));
  tableSlot(TABLE, 8n, fnaddr(setTimer));
  tableSlot(TABLE, 9n, fnaddr(waitForEvent));
  tableSlot(TABLE, 10n, fnaddr(signalEvent));
  tableSlot(TABLE, 11n, fnaddr(closeEvent));
  tableSlot(TABLE, 12n, fnaddr(checkEvent));
  tableSlot(TABLE, 13n, fnaddr(installProtocolInterface));
  tableSlot(TABLE, 14n, fnaddr(hdReinstall));
  tableSlot(TABLE, 15n, fnaddr(hdUninstall));
  tableSlot(TABLE, 16n, fnaddr(hdHandleProtocol));
  tableSlot(TABLE, 17n, fnaddr(reserved));
  tableSlot(TABLE, 18n, fnaddr(registerProtocolNotify));
  tableSlot(TABLE, 19n, fnaddr(hdLocateHandle));
  tableSlot(TABLE, 20n, fnaddr(hdLocateDevicePath));
  tableSlot(TABLE, 21n, fnaddr(installConfigurationTable));
  tableSlot(TABLE, 22n, fnaddr(efiLoadImage));
  tableSlot(TABLE, 23n, fnaddr(efiStartImage));
  tableSlot(TABLE, 24n, fnaddr(efiExit));
  tableSlot(TABLE, 25n, fnaddr(efiUnloadImage));
  tableSlot(TABLE, 26n, fnaddr(exitBootServices));
  tableSlot(TABLE, 27n, fnaddr(getNextMonotonicCount));
  tableSlot(TABLE, 28n, fnaddr(stall));
  tableSlot(TABLE, 29n, fnaddr(setWatchdogTimer));
  tableSlot(TABLE, 30n, fnaddr(connectController));
  tableSlot(TABLE, 31n, fnaddr(disconnectController));
  tableSlot(TABLE, 32n, fnaddr(hdOpenProtocol));
  tableSlot(TABLE, 33n, fnaddr(hdCloseProtocol));
  tableSlot(TABLE, 34n, fnaddr(hdOpenProtocolInformation));
  tableSlot(TABLE, 35n, fnaddr(hdProtocolsPerHandle));
  tableSlot(TABLE, 36n, fnaddr(hdLocateHandleBuffer));
  tableSlot(TABLE, 37n, fnaddr(hdLocateProtocol));
  tableSlot(TABLE, 38n, fnaddr(hdInstallMultiple));
  tableSlot(TABLE, 39n, fnaddr(hdUninstallMultiple));
  tableSlot(TABLE, 40n, fnaddr(calculateCrc32));
  tableSlot(TABLE, 41n, fnaddr(bsCopyMem));
  tableSlot(TABLE, 42n, fnaddr(bsSetMem));
  tableSlot(TABLE, 43n, fnaddr(createEventEx));
  tableHeader(TABLE, SIGNATURE, SIZE);
  return TABLE;
}
