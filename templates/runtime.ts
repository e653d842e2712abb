// EFI_RUNTIME_SERVICES (UEFI 2.10 §4.5): the table in spec order. There is no variable
// store and no clock: GetVariable finds nothing (so Secure Boot reads as off), the rest
// is EFI_UNSUPPORTED. The EFI_RT_PROPERTIES_TABLE (configtables.ts) advertises none of
// them, so the next kernel never calls them and never needs SetVirtualAddressMap; x86
// Linux calls SetVirtualAddressMap regardless, which succeeds without doing anything
// because all of this is position-independent code. After ExitBootServices nothing here
// touches the console: the UART may no longer be mapped.
import { u64, type ptr } from './rt/types.ts';
import { fnaddr, zeroed, ascii, halt } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_UNSUPPORTED, EFI_NOT_FOUND } from './efi.ts';
import { note } from './fail.ts';
import { tableHeader, tableSlot } from './tableheader.ts';
import { bootServicesExited } from './bootservices.ts';

const SIGNATURE: u64 = 0x5652_4553_544e_5552n; // "RUNTSERV"
const SIZE: u64 = 0x88n;
const TABLE = zeroed(SIZE, 64n);

const M_RESETSYSTEM = ascii('ResetSystem: stopping the machine');
const M_GETTIME = ascii('GetTime: no clock, EFI_UNSUPPORTED');
const M_SETTIME = ascii('SetTime: no clock, EFI_UNSUPPORTED');
const M_GETWAKEUPTIME = ascii('GetWakeupTime: no clock, EFI_UNSUPPORTED');
const M_SETWAKEUPTIME = ascii('SetWakeupTime: no clock, EFI_UNSUPPORTED');
const M_GETNEXTHIGHMONOTONICCOUNT = ascii('GetNextHighMonotonicCount: not supported, EFI_UNSUPPORTED');
const M_UPDATECAPSULE = ascii('UpdateCapsule: not supported, EFI_UNSUPPORTED');
const M_QUERYCAPSULECAPABILITIES = ascii('QueryCapsuleCapabilities: not supported, EFI_UNSUPPORTED');
const M_QUERYVARIABLEINFO = ascii('QueryVariableInfo: no variable store, EFI_UNSUPPORTED');

/** Says `what` on the console while boot services still run; silent afterwards. */
function unsupported(what: ptr): u64 {
  if (!bootServicesExited()) note(what);
  return EFI_UNSUPPORTED;
}

function getTime(): u64 {
  return unsupported(M_GETTIME);
}
function setTime(): u64 {
  return unsupported(M_SETTIME);
}
function getWakeupTime(): u64 {
  return unsupported(M_GETWAKEUPTIME);
}
function setWakeupTime(): u64 {
  return unsupported(M_SETWAKEUPTIME);
}

/** Nothing here holds an absolute address, so there is nothing to convert. */
function setVirtualAddressMap(_size: u64, _descSize: u64, _version: u64, _map: ptr): u64 {
  return EFI_SUCCESS;
}
function convertPointer(_disposition: u64, _address: ptr): u64 {
  return EFI_SUCCESS;
}

/** No variable store: every variable is absent (SecureBoot absent means disabled). */
function getVariable(_name: ptr, _guid: ptr, _attributes: ptr, _dataSize: ptr, _data: ptr): u64 {
  return EFI_NOT_FOUND;
}
function getNextVariableName(_nameSize: ptr, _name: ptr, _guid: ptr): u64 {
  return EFI_NOT_FOUND;
}
/** Not a stub but the answer: there is nowhere to keep a variable (systemd-stub tries several). */
function setVariable(): u64 {
  return EFI_UNSUPPORTED;
}
function getNextHighMonotonicCount(): u64 {
  return unsupported(M_GETNEXTHIGHMONOTONICCOUNT);
}

/** A reset request stops the machine: the emulator cannot reset the platform itself. */
function resetSystem(_type: u64, _status: u64): void {
  if (!bootServicesExited()) note(M_RESETSYSTEM);
  halt();
}
function updateCapsule(): u64 {
  return unsupported(M_UPDATECAPSULE);
}
function queryCapsuleCapabilities(): u64 {
  return unsupported(M_QUERYCAPSULECAPABILITIES);
}
function queryVariableInfo(): u64 {
  return unsupported(M_QUERYVARIABLEINFO);
}

/** Fills the table in spec order and returns its address. */
export function rtInit(): ptr {
  tableSlot(TABLE, 0n, fnaddr(getTime));
  tableSlot(TABLE, 1n, fnaddr(setTime));
  tableSlot(TABLE, 2n, fnaddr(getWakeupTime));
  tableSlot(TABLE, 3n, fnaddr(setWakeupTime));
  tableSlot(TABLE, 4n, fnaddr(setVirtualAddressMap));
  tableSlot(TABLE, 5n, fnaddr(convertPointer));
  tableSlot(TABLE, 6n, fnaddr(getVariable));
  tableSlot(TABLE, 7n, fnaddr(getNextVariableName));
  tableSlot(TABLE, 8n, fnaddr(setVariable));
  tableSlot(TABLE, 9n, fnaddr(getNextHighMonotonicCount));
  tableSlot(TABLE, 10n, fnaddr(resetSystem));
  tableSlot(TABLE, 11n, fnaddr(updateCapsule));
  tableSlot(TABLE, 12n, fnaddr(queryCapsuleCapabilities));
  tableSlot(TABLE, 13n, fnaddr(queryVariableInfo));
  tableHeader(TABLE, SIGNATURE, SIZE);
  return TABLE;
}
