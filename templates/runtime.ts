// EFI_RUNTIME_SERVICES (UEFI 2.10 §4.5): the table in spec order. The variables are
// variables.ts's read-only store (Secure Boot's state when the blob enforces a trust
// list, else nothing); there is no clock, and the rest is EFI_UNSUPPORTED. The EFI_RT_PROPERTIES_TABLE (configtables.ts) advertises none of
// them, so the next kernel never calls them and never needs SetVirtualAddressMap; x86
// Linux calls SetVirtualAddressMap regardless, which succeeds without doing anything
// because all of this is position-independent code. After ExitBootServices nothing here
// touches the console: the UART may no longer be mapped.
import { u64, type ptr } from './rt/types.ts';
import { fntable, zeroed, ascii, halt } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_UNSUPPORTED } from './efi.ts';
import { getVariable, getNextVariableName } from './variables.ts';
import { note, unsupportedBecause, NOT_SUPPORTED } from './fail.ts';
import { servicesTable } from './tableheader.ts';
import { bootServicesExited } from './bootservices.ts';

const SIGNATURE: u64 = 0x5652_4553_544e_5552n; // "RUNTSERV"
const SIZE: u64 = 0x88n;
const TABLE = zeroed(SIZE, 64n);
/** The services, in the table's (the spec's) order. */
const SERVICES = fntable([
  getTime, setTime, getWakeupTime, setWakeupTime, setVirtualAddressMap, convertPointer,
  getVariable, getNextVariableName, setVariable, getNextHighMonotonicCount, resetSystem,
  updateCapsule, queryCapsuleCapabilities, queryVariableInfo,
]);

const M_RESETSYSTEM = ascii('ResetSystem: stopping the machine');

// The stubs' names and reasons: fail.ts's unsupportedBecause() adds ", EFI_UNSUPPORTED".
const N_GETTIME = ascii('GetTime');
const N_SETTIME = ascii('SetTime');
const N_GETWAKEUPTIME = ascii('GetWakeupTime');
const N_SETWAKEUPTIME = ascii('SetWakeupTime');
const N_GETNEXTHIGHMONOTONICCOUNT = ascii('GetNextHighMonotonicCount');
const N_UPDATECAPSULE = ascii('UpdateCapsule');
const N_QUERYCAPSULECAPABILITIES = ascii('QueryCapsuleCapabilities');
const N_QUERYVARIABLEINFO = ascii('QueryVariableInfo');
const NO_CLOCK = ascii(': no clock');
const NO_STORE = ascii(': no variable store');

/** Says "<service><reason>, EFI_UNSUPPORTED" while boot services still run; silent afterwards. */
function rtUnsupported(service: ptr, reason: ptr): u64 {
  if (bootServicesExited()) return EFI_UNSUPPORTED;
  return unsupportedBecause(service, reason);
}

function getTime(): u64 {
  return rtUnsupported(N_GETTIME, NO_CLOCK);
}
function setTime(): u64 {
  return rtUnsupported(N_SETTIME, NO_CLOCK);
}
function getWakeupTime(): u64 {
  return rtUnsupported(N_GETWAKEUPTIME, NO_CLOCK);
}
function setWakeupTime(): u64 {
  return rtUnsupported(N_SETWAKEUPTIME, NO_CLOCK);
}

/** Nothing here holds an absolute address, so there is nothing to convert. */
function setVirtualAddressMap(_size: u64, _descSize: u64, _version: u64, _map: ptr): u64 {
  return EFI_SUCCESS;
}
function convertPointer(_disposition: u64, _address: ptr): u64 {
  return EFI_SUCCESS;
}

/** Not a stub but the answer: the store is read-only (systemd-stub tries to set several). */
function setVariable(): u64 {
  return EFI_UNSUPPORTED;
}
function getNextHighMonotonicCount(): u64 {
  return rtUnsupported(N_GETNEXTHIGHMONOTONICCOUNT, NOT_SUPPORTED);
}

/** A reset request stops the machine: the emulator cannot reset the platform itself. */
function resetSystem(_type: u64, _status: u64): void {
  if (!bootServicesExited()) note(M_RESETSYSTEM);
  halt();
}
function updateCapsule(): u64 {
  return rtUnsupported(N_UPDATECAPSULE, NOT_SUPPORTED);
}
function queryCapsuleCapabilities(): u64 {
  return rtUnsupported(N_QUERYCAPSULECAPABILITIES, NOT_SUPPORTED);
}
function queryVariableInfo(): u64 {
  return rtUnsupported(N_QUERYVARIABLEINFO, NO_STORE);
}

/** Fills the table in spec order and returns its address. */
export function rtInit(): ptr {
  servicesTable(TABLE, SIGNATURE, SIZE, SERVICES);
  return TABLE;
}
