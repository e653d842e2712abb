// The protocol database behind the protocol handler services of UEFI 2.10 §7.3:
// Install/Reinstall/Uninstall(Multiple)ProtocolInterface(s), HandleProtocol,
// Open/CloseProtocol, LocateProtocol, LocateHandle(Buffer), LocateDevicePath and
// ProtocolsPerHandle. A handle is the address of its record here; each record holds up
// to MAX_PROTOCOLS (GUID, interface) pairs, in installation order, which is the order
// LocateHandle reports. Opens are not tracked: nothing here has drivers to arbitrate.
import { u64, type ptr } from './rt/types.ts';
import { load64, store64, struct, zeroed } from './rt/intrinsics.ts';
import {
  EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_NOT_FOUND, EFI_UNSUPPORTED, EFI_BUFFER_TOO_SMALL, EFI_OUT_OF_RESOURCES,
  EFI_ALREADY_STARTED, EfiBootServicesData,
} from './efi.ts';
import { poolAllocate } from './pool.ts';
import { sameGuid, copyGuid } from './guid.ts';
import { DEVICE_PATH_GUID, DP_NO_MATCH, dpIsEnd, dpPrefixLength } from './devicepath.ts';


/** OpenProtocol attributes (UEFI 2.10 §7.3.9). */
export const EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL: u64 = 0x01n;
export const EFI_OPEN_PROTOCOL_GET_PROTOCOL: u64 = 0x02n;
export const EFI_OPEN_PROTOCOL_TEST_PROTOCOL: u64 = 0x04n;
export const EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER: u64 = 0x08n;
export const EFI_OPEN_PROTOCOL_BY_DRIVER: u64 = 0x10n;
export const EFI_OPEN_PROTOCOL_EXCLUSIVE: u64 = 0x20n;
const BY_DRIVER_EXCLUSIVE: u64 = 0x30n;
/** EFI_OPEN_PROTOCOL_INFORMATION_ENTRY: two handles, u32 Attributes, u32 OpenCount. */
const OPEN_INFO_ENTRY_SIZE: u64 = 24n;
/** InstallMultipleProtocolInterfaces takes the handle and 15 more: 7 pairs and a NULL. */
const MAX_VARARG_PAIRS: u64 = 7n;

const MAX_HANDLES: u64 = 64n;
const MAX_PROTOCOLS: u64 = 16n;
/** Marks a live record, so a stale or foreign pointer is not taken for a handle. */
const HANDLE_MAGIC: u64 = 0x454c444e_41485047n; // "GPHANDLE"

/** A (GUID, interface) pair: the GUID's 16 bytes by value, then the interface. */
const Pair = struct({ guid: u64, guidTail: u64, iface: u64 });
const Record = struct({ magic: u64, count: u64 });
const RECORD_SIZE: u64 = 16n + 16n * 24n;
const RECORDS = zeroed(MAX_HANDLES * RECORD_SIZE);

export const AllHandles: u64 = 0n;
export const ByRegisterNotify: u64 = 1n;
export const ByProtocol: u64 = 2n;

function record(i: u64): ptr {
  return RECORDS + i * RECORD_SIZE;
}

function pair(h: ptr, j: u64): ptr {
  return h + Record.$size + j * Pair.$size;
}

/** Whether `h` is a live handle of ours. */
export function isHandle(h: ptr): boolean {
  if (h < RECORDS || h >= RECORDS + MAX_HANDLES * RECORD_SIZE || (h - RECORDS) % RECORD_SIZE != 0n) return false;
  return load64(h + Record.magic) == HANDLE_MAGIC;
}

/** Index of `guid` on handle `h`, or MAX_PROTOCOLS when absent. */
function find(h: ptr, guid: ptr): u64 {
  const n: u64 = load64(h + Record.count);
  for (let j: u64 = 0n; j < n; j++) if (sameGuid(pair(h, j) + Pair.guid, guid)) return j;
  return MAX_PROTOCOLS;
}

function newHandle(): ptr {
  for (let i: u64 = 0n; i < MAX_HANDLES; i++) {
    if (load64(record(i) + Record.magic) != HANDLE_MAGIC) {
      store64(record(i) + Record.magic, HANDLE_MAGIC);
      store64(record(i) + Record.count, 0n);
      return record(i);
    }
  }
  return 0n;
}

/** Adds (guid, iface) to the live handle `h`, unless it already has `guid`. */
function installOn(h: ptr, guid: ptr, iface: ptr): u64 {
  if (guid == 0n) return EFI_INVALID_PARAMETER;
  if (find(h, guid) != MAX_PROTOCOLS) return EFI_INVALID_PARAMETER;
  const n: u64 = load64(h + Record.count);
  if (n == MAX_PROTOCOLS) return EFI_OUT_OF_RESOURCES;
  const p: ptr = pair(h, n);
  copyGuid(p + Pair.guid, guid);
  store64(p + Pair.iface, iface);
  store64(h + Record.count, n + 1n);
  return EFI_SUCCESS;
}

/** InstallProtocolInterface (native interfaces): *handlePtr == 0 creates a handle. */
export function hdInstall(handlePtr: ptr, guid: ptr, iface: ptr): u64 {
  if (handlePtr == 0n || guid == 0n) return EFI_INVALID_PARAMETER;
  let h: ptr = load64(handlePtr);
  if (h != 0n && !isHandle(h)) return EFI_INVALID_PARAMETER;
  if (h != 0n) return installOn(h, guid, iface);
  h = newHandle();
  if (h == 0n) return EFI_OUT_OF_RESOURCES;
  const status: u64 = installOn(h, guid, iface);
  if (status != EFI_SUCCESS) {
    store64(h + Record.magic, 0n);
    return status;
  }
  store64(handlePtr, h);
  return EFI_SUCCESS;
}

/** UninstallProtocolInterface: the interface must match; an empty handle goes away. */
export function hdUninstall(h: ptr, guid: ptr, iface: ptr): u64 {
  if (!isHandle(h) || guid == 0n) return EFI_INVALID_PARAMETER;
  const j: u64 = find(h, guid);
  if (j == MAX_PROTOCOLS || load64(pair(h, j) + Pair.iface) != iface) return EFI_NOT_FOUND;
  const n: u64 = load64(h + Record.count);
  for (let k: u64 = j; k + 1n < n; k++) {
    for (let w: u64 = 0n; w < Pair.$size; w += 8n) store64(pair(h, k) + w, load64(pair(h, k + 1n) + w));
  }
  store64(h + Record.count, n - 1n);
  if (n == 1n) store64(h + Record.magic, 0n);
  return EFI_SUCCESS;
}

/** HandleProtocol: EFI_UNSUPPORTED when the handle lacks the protocol. */
export function hdHandleProtocol(h: ptr, guid: ptr, ifacePtr: ptr): u64 {
  if (!isHandle(h) || guid == 0n || ifacePtr == 0n) return EFI_INVALID_PARAMETER;
  const j: u64 = find(h, guid);
  if (j == MAX_PROTOCOLS) {
    store64(ifacePtr, 0n);
    return EFI_UNSUPPORTED;
  }
  store64(ifacePtr, load64(pair(h, j) + Pair.iface));
  return EFI_SUCCESS;
}

/**
 * LocateProtocol: the first handle's interface; NULL and EFI_NOT_FOUND when none. The
 * registration key (for RegisterProtocolNotify) is optional and we never hand one out.
 */
export function hdLocateProtocol(guid: ptr, _registration: ptr, ifacePtr: ptr): u64 {
  if (guid == 0n || ifacePtr == 0n) return EFI_INVALID_PARAMETER;
  for (let i: u64 = 0n; i < MAX_HANDLES; i++) {
    const h: ptr = record(i);
    if (isHandle(h) && find(h, guid) != MAX_PROTOCOLS) {
      store64(ifacePtr, load64(pair(h, find(h, guid)) + Pair.iface));
      return EFI_SUCCESS;
    }
  }
  store64(ifacePtr, 0n);
  return EFI_NOT_FOUND;
}

/** LocateHandle with the size probe; RegisterProtocolNotify keys are not supported. */
export function hdLocateHandle(searchType: u64, guid: ptr, searchKey: ptr, sizePtr: ptr, buffer: ptr): u64 {
  if (sizePtr == 0n || searchType > ByProtocol || (searchType == ByProtocol && guid == 0n)) return EFI_INVALID_PARAMETER;
  if (searchType == ByRegisterNotify || searchKey != 0n) return EFI_INVALID_PARAMETER;
  let n: u64 = 0n;
  for (let pass: u64 = 0n; pass < 2n; pass++) {
    for (let i: u64 = 0n; i < MAX_HANDLES; i++) {
      const h: ptr = record(i);
      if (!isHandle(h) || (searchType == ByProtocol && find(h, guid) == MAX_PROTOCOLS)) continue;
      if (pass == 1n) store64(buffer + n * 8n, h);
      n++;
    }
    if (pass == 0n) {
      if (n == 0n) return EFI_NOT_FOUND;
      const have: u64 = load64(sizePtr);
      store64(sizePtr, n * 8n);
      if (have < n * 8n) return EFI_BUFFER_TOO_SMALL;
      if (buffer == 0n) return EFI_INVALID_PARAMETER;
      n = 0n;
    }
  }
  return EFI_SUCCESS;
}

/** Forgets every handle (a fresh boot; the host tests use it between cases). */
export function hdReset(): void {
  for (let i: u64 = 0n; i < MAX_HANDLES; i++) store64(record(i) + Record.magic, 0n);
}

/** ReinstallProtocolInterface: `oldIface` must be the one installed. */
export function hdReinstall(h: ptr, guid: ptr, oldIface: ptr, newIface: ptr): u64 {
  if (!isHandle(h) || guid == 0n) return EFI_INVALID_PARAMETER;
  const j: u64 = find(h, guid);
  if (j == MAX_PROTOCOLS || load64(pair(h, j) + Pair.iface) != oldIface) return EFI_NOT_FOUND;
  store64(pair(h, j) + Pair.iface, newIface);
  return EFI_SUCCESS;
}

/** Whether the OpenProtocol attribute is one the spec allows, with the handles it needs. */
function validOpen(h: ptr, attributes: u64, agent: ptr, controller: ptr): boolean {
  switch (attributes) {
    case EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL:
    case EFI_OPEN_PROTOCOL_GET_PROTOCOL:
    case EFI_OPEN_PROTOCOL_TEST_PROTOCOL:
      return true;
    case EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER:
      return isHandle(agent) && isHandle(controller) && controller != h;
    case EFI_OPEN_PROTOCOL_BY_DRIVER:
    case BY_DRIVER_EXCLUSIVE:
      return isHandle(agent) && isHandle(controller);
    case EFI_OPEN_PROTOCOL_EXCLUSIVE:
      return isHandle(agent);
  }
  return false;
}

/**
 * OpenProtocol: HandleProtocol with attributes. TEST_PROTOCOL never writes *ifacePtr
 * (which may be NULL); the others set it to NULL first, as EDK2 does. Attributes is a
 * UINT32.
 */
export function hdOpenProtocol(h: ptr, guid: ptr, ifacePtr: ptr, agent: ptr, controller: ptr, attributes: u64): u64 {
  const attr: u64 = attributes & 0xffff_ffffn;
  const test: boolean = attr == EFI_OPEN_PROTOCOL_TEST_PROTOCOL;
  if (guid == 0n || (!test && ifacePtr == 0n)) return EFI_INVALID_PARAMETER;
  if (!test) store64(ifacePtr, 0n);
  if (!isHandle(h) || !validOpen(h, attr, agent, controller)) return EFI_INVALID_PARAMETER;
  const j: u64 = find(h, guid);
  if (j == MAX_PROTOCOLS) return EFI_UNSUPPORTED;
  if (!test) store64(ifacePtr, load64(pair(h, j) + Pair.iface));
  return EFI_SUCCESS;
}

/** CloseProtocol: opens are not tracked, so any protocol the handle has closes. */
export function hdCloseProtocol(h: ptr, guid: ptr, _agent: ptr, _controller: ptr): u64 {
  if (!isHandle(h) || guid == 0n) return EFI_INVALID_PARAMETER;
  return find(h, guid) == MAX_PROTOCOLS ? EFI_NOT_FOUND : EFI_SUCCESS;
}

/** OpenProtocolInformation: no open is ever recorded, so an empty pool array. */
export function hdOpenProtocolInformation(h: ptr, guid: ptr, entryBufferPtr: ptr, entryCountPtr: ptr): u64 {
  if (!isHandle(h) || guid == 0n || entryBufferPtr == 0n || entryCountPtr == 0n) return EFI_INVALID_PARAMETER;
  if (find(h, guid) == MAX_PROTOCOLS) return EFI_NOT_FOUND;
  const status: u64 = poolAllocate(EfiBootServicesData, OPEN_INFO_ENTRY_SIZE, entryBufferPtr);
  if (status != EFI_SUCCESS) return status;
  store64(entryCountPtr, 0n);
  return EFI_SUCCESS;
}

/**
 * ProtocolsPerHandle: a pool array of GUID pointers. The GUIDs are copied behind the
 * pointers in the same block, so they stay valid until the caller frees it, whatever
 * is uninstalled meanwhile (records move their pairs down on uninstall).
 */
export function hdProtocolsPerHandle(h: ptr, bufferPtr: ptr, countPtr: ptr): u64 {
  if (!isHandle(h) || bufferPtr == 0n || countPtr == 0n) return EFI_INVALID_PARAMETER;
  const n: u64 = load64(h + Record.count);
  const status: u64 = poolAllocate(EfiBootServicesData, n * 24n, bufferPtr);
  if (status != EFI_SUCCESS) return status;
  const list: ptr = load64(bufferPtr);
  const guids: ptr = list + n * 8n;
  for (let j: u64 = 0n; j < n; j++) {
    const g: ptr = guids + j * 16n;
    copyGuid(g, pair(h, j) + Pair.guid);
    store64(list + j * 8n, g);
  }
  store64(countPtr, n);
  return EFI_SUCCESS;
}

/** LocateHandleBuffer: LocateHandle into a pool array; *countPtr counts handles. */
export function hdLocateHandleBuffer(searchType: u64, guid: ptr, searchKey: ptr, countPtr: ptr, bufferPtr: ptr): u64 {
  if (countPtr == 0n || bufferPtr == 0n) return EFI_INVALID_PARAMETER;
  store64(bufferPtr, 0n);
  store64(countPtr, 0n); // *countPtr serves as LocateHandle's size for the probe
  let status: u64 = hdLocateHandle(searchType, guid, searchKey, countPtr, 0n);
  if (status == EFI_BUFFER_TOO_SMALL) status = poolAllocate(EfiBootServicesData, load64(countPtr), bufferPtr);
  if (status == EFI_SUCCESS) status = hdLocateHandle(searchType, guid, searchKey, countPtr, load64(bufferPtr));
  if (status != EFI_SUCCESS) {
    store64(countPtr, 0n);
    return status;
  }
  store64(countPtr, load64(countPtr) / 8n);
  return EFI_SUCCESS;
}

// The (GUID, interface) pairs of the variadic services, gathered up to the NULL GUID.
// Static: these services call nothing that could come back into them.
const VARARGS = zeroed(MAX_VARARG_PAIRS * 16n, 8n);

function argGuid(k: u64): ptr {
  return load64(VARARGS + k * 16n);
}

function argIface(k: u64): ptr {
  return load64(VARARGS + k * 16n + 8n);
}

/**
 * Gathers the pairs before the NULL GUID into VARARGS and counts them; more than
 * MAX_VARARG_PAIRS when the 15th argument is no terminator. Nothing past the
 * terminator is looked at: there the caller passed nothing.
 */
function collect(a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64, a7: u64, a8: u64,
  a9: u64, a10: u64, a11: u64, a12: u64, a13: u64, a14: u64, a15: u64): u64 {
  if (a1 == 0n) return 0n;
  store64(VARARGS, a1);
  store64(VARARGS + 8n, a2);
  if (a3 == 0n) return 1n;
  store64(VARARGS + 16n, a3);
  store64(VARARGS + 24n, a4);
  if (a5 == 0n) return 2n;
  store64(VARARGS + 32n, a5);
  store64(VARARGS + 40n, a6);
  if (a7 == 0n) return 3n;
  store64(VARARGS + 48n, a7);
  store64(VARARGS + 56n, a8);
  if (a9 == 0n) return 4n;
  store64(VARARGS + 64n, a9);
  store64(VARARGS + 72n, a10);
  if (a11 == 0n) return 5n;
  store64(VARARGS + 80n, a11);
  store64(VARARGS + 88n, a12);
  if (a13 == 0n) return 6n;
  store64(VARARGS + 96n, a13);
  store64(VARARGS + 104n, a14);
  return a15 == 0n ? MAX_VARARG_PAIRS : MAX_VARARG_PAIRS + 1n;
}

/** Whether some handle already carries exactly the device path `dp`. */
function dpTaken(dp: ptr): boolean {
  if (dp == 0n) return false;
  for (let i: u64 = 0n; i < MAX_HANDLES; i++) {
    const h: ptr = record(i);
    if (!isHandle(h)) continue;
    const j: u64 = find(h, DEVICE_PATH_GUID);
    if (j == MAX_PROTOCOLS || load64(pair(h, j) + Pair.iface) == 0n) continue;
    const len: u64 = dpPrefixLength(dp, load64(pair(h, j) + Pair.iface));
    if (len != DP_NO_MATCH && dpIsEnd(dp + len)) return true;
  }
  return false;
}

/** Installs the first `n` gathered pairs on the live handle `h`, all or none. */
function installPairs(h: ptr, n: u64): u64 {
  for (let k: u64 = 0n; k < n; k++) {
    const status: u64 = installOn(h, argGuid(k), argIface(k));
    if (status != EFI_SUCCESS) {
      for (let m: u64 = 0n; m < k; m++) hdUninstall(h, argGuid(m), argIface(m));
      return status;
    }
  }
  return EFI_SUCCESS;
}

/**
 * InstallMultipleProtocolInterfaces(Handle*, GUID*, iface, …, NULL): the varargs arrive
 * as a1…a15 in both UEFI conventions. A device path some handle already has is refused
 * with EFI_ALREADY_STARTED; a failed install undoes the others and returns its status.
 */
export function hdInstallMultiple(handlePtr: ptr, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64, a7: u64,
  a8: u64, a9: u64, a10: u64, a11: u64, a12: u64, a13: u64, a14: u64, a15: u64): u64 {
  if (handlePtr == 0n) return EFI_INVALID_PARAMETER;
  const n: u64 = collect(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  if (n > MAX_VARARG_PAIRS) return EFI_INVALID_PARAMETER;
  for (let k: u64 = 0n; k < n; k++) {
    if (sameGuid(argGuid(k), DEVICE_PATH_GUID) && dpTaken(argIface(k))) return EFI_ALREADY_STARTED;
  }
  if (n == 0n) return EFI_SUCCESS;
  const old: ptr = load64(handlePtr);
  if (old != 0n && !isHandle(old)) return EFI_INVALID_PARAMETER;
  const h: ptr = old != 0n ? old : newHandle();
  if (h == 0n) return EFI_OUT_OF_RESOURCES;
  const status: u64 = installPairs(h, n);
  if (status != EFI_SUCCESS) {
    if (old == 0n) store64(h + Record.magic, 0n);
    return status;
  }
  store64(handlePtr, h);
  return EFI_SUCCESS;
}

/**
 * UninstallMultipleProtocolInterfaces(Handle, GUID*, iface, …, NULL): all or none; on
 * failure what was removed goes back (the handle revived if it emptied) and the result
 * is EFI_INVALID_PARAMETER, as the spec says.
 */
export function hdUninstallMultiple(h: ptr, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64, a7: u64,
  a8: u64, a9: u64, a10: u64, a11: u64, a12: u64, a13: u64, a14: u64, a15: u64): u64 {
  if (!isHandle(h)) return EFI_INVALID_PARAMETER;
  const n: u64 = collect(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  if (n > MAX_VARARG_PAIRS) return EFI_INVALID_PARAMETER;
  for (let k: u64 = 0n; k < n; k++) {
    if (hdUninstall(h, argGuid(k), argIface(k)) != EFI_SUCCESS) {
      store64(h + Record.magic, HANDLE_MAGIC); // an emptied record keeps count 0
      for (let m: u64 = 0n; m < k; m++) installOn(h, argGuid(m), argIface(m));
      return EFI_INVALID_PARAMETER;
    }
  }
  return EFI_SUCCESS;
}

/**
 * LocateDevicePath: of the handles with `protocol` whose device path is a prefix of
 * *devicePathPtr, the longest match; *devicePathPtr advances past the matched nodes.
 */
export function hdLocateDevicePath(protocol: ptr, devicePathPtr: ptr, deviceOut: ptr): u64 {
  if (protocol == 0n || devicePathPtr == 0n || deviceOut == 0n) return EFI_INVALID_PARAMETER;
  const path: ptr = load64(devicePathPtr);
  if (path == 0n) return EFI_INVALID_PARAMETER;
  let best: ptr = 0n;
  let bestLen: u64 = 0n;
  for (let i: u64 = 0n; i < MAX_HANDLES; i++) {
    const h: ptr = record(i);
    if (!isHandle(h) || find(h, protocol) == MAX_PROTOCOLS) continue;
    const j: u64 = find(h, DEVICE_PATH_GUID);
    if (j == MAX_PROTOCOLS || load64(pair(h, j) + Pair.iface) == 0n) continue;
    const len: u64 = dpPrefixLength(path, load64(pair(h, j) + Pair.iface));
    if (len != DP_NO_MATCH && (best == 0n || len > bestLen)) {
      best = h;
      bestLen = len;
    }
  }
  if (best == 0n) return EFI_NOT_FOUND;
  store64(deviceOut, best);
  store64(devicePathPtr, path + bestLen);
  return EFI_SUCCESS;
}
