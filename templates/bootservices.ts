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
import { tableHeader } from './tableheader.ts';

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

/** Slot `i` after the 24-byte header. */
function slot(i: u64, f: ptr): void {
  store64(TABLE + 0x18n + i * 8n, f);
}

/** Fills the table in spec order and returns its address. */
export function bsInit(): ptr {
  slot(0n, fnaddr(raiseTpl));
  slot(1n, fnaddr(restoreTpl));
  slot(2n, fnaddr(mmAllocate));
  slot(3n, fnaddr(mmFree));
  slot(4n, fnaddr(mmGetMap));
  slot(5n, fnaddr(poolAllocate));
  slot(6n, fnaddr(poolFree));
  slot(7n, fnaddr(createEvent));
  slot(8n, fnaddr(setTimer));
  slot(9n, fnaddr(waitForEvent));
  slot(10n, fnaddr(signalEvent));
  slot(11n, fnaddr(closeEvent));
  slot(12n, fnaddr(checkEvent));
  slot(13n, fnaddr(installProtocolInterface));
  slot(14n, fnaddr(hdReinstall));
  slot(15n, fnaddr(hdUninstall));
  slot(16n, fnaddr(hdHandleProtocol));
  slot(17n, fnaddr(reserved));
  slot(18n, fnaddr(registerProtocolNotify));
  slot(19n, fnaddr(hdLocateHandle));
  slot(20n, fnaddr(hdLocateDevicePath));
  slot(21n, fnaddr(installConfigurationTable));
  slot(22n, fnaddr(efiLoadImage));
  slot(23n, fnaddr(efiStartImage));
  slot(24n, fnaddr(efiExit));
  slot(25n, fnaddr(efiUnloadImage));
  slot(26n, fnaddr(exitBootServices));
  slot(27n, fnaddr(getNextMonotonicCount));
  slot(28n, fnaddr(stall));
  slot(29n, fnaddr(setWatchdogTimer));
  slot(30n, fnaddr(connectController));
  slot(31n, fnaddr(disconnectController));
  slot(32n, fnaddr(hdOpenProtocol));
  slot(33n, fnaddr(hdCloseProtocol));
  slot(34n, fnaddr(hdOpenProtocolInformation));
  slot(35n, fnaddr(hdProtocolsPerHandle));
  slot(36n, fnaddr(hdLocateHandleBuffer));
  slot(37n, fnaddr(hdLocateProtocol));
  slot(38n, fnaddr(hdInstallMultiple));
  slot(39n, fnaddr(hdUninstallMultiple));
  slot(40n, fnaddr(calculateCrc32));
  slot(41n, fnaddr(bsCopyMem));
  slot(42n, fnaddr(bsSetMem));
  slot(43n, fnaddr(createEventEx));
  tableHeader(TABLE, SIGNATURE, SIZE);
  return TABLE;
}
