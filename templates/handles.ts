// The protocol database behind InstallProtocolInterface, UninstallProtocolInterface,
// HandleProtocol, LocateProtocol and LocateHandle (UEFI 2.10 §7.3). A handle is the
// address of its record here; each record holds up to MAX_PROTOCOLS (GUID, interface)
// pairs, in installation order, which is the order LocateHandle reports.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, load64, store32, store64, struct, zeroed } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_NOT_FOUND, EFI_UNSUPPORTED, EFI_BUFFER_TOO_SMALL, EFI_OUT_OF_RESOURCES } from './efi.ts';

const MAX_HANDLES: u64 = 64n;
const MAX_PROTOCOLS: u64 = 16n;
/** Marks a live record, so a stale or foreign pointer is not taken for a handle. */
const HANDLE_MAGIC: u64 = 0x454c444e_41485047n; // "GPHANDLE"

const Pair = struct({ g0: u32, g1: u32, g2: u32, g3: u32, iface: u64 });
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

/** EFI_GUIDs are 4-byte aligned: compare them as four 32-bit words. */
function sameGuid(p: ptr, guid: ptr): boolean {
  return load32(p + Pair.g0) == load32(guid) && load32(p + Pair.g1) == load32(guid + 4n)
    && load32(p + Pair.g2) == load32(guid + 8n) && load32(p + Pair.g3) == load32(guid + 12n);
}

/** Index of `guid` on handle `h`, or MAX_PROTOCOLS when absent. */
function find(h: ptr, guid: ptr): u64 {
  const n: u64 = load64(h + Record.count);
  for (let j: u64 = 0n; j < n; j++) if (sameGuid(pair(h, j), guid)) return j;
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

/** InstallProtocolInterface (native interfaces): *handlePtr == 0 creates a handle. */
export function hdInstall(handlePtr: ptr, guid: ptr, iface: ptr): u64 {
  if (handlePtr == 0n || guid == 0n) return EFI_INVALID_PARAMETER;
  let h: ptr = load64(handlePtr);
  if (h != 0n && !isHandle(h)) return EFI_INVALID_PARAMETER;
  if (h != 0n && find(h, guid) != MAX_PROTOCOLS) return EFI_INVALID_PARAMETER;
  if (h == 0n) h = newHandle();
  if (h == 0n) return EFI_OUT_OF_RESOURCES;
  const n: u64 = load64(h + Record.count);
  if (n == MAX_PROTOCOLS) return EFI_OUT_OF_RESOURCES;
  const p: ptr = pair(h, n);
  store32(p + Pair.g0, load32(guid));
  store32(p + Pair.g1, load32(guid + 4n));
  store32(p + Pair.g2, load32(guid + 8n));
  store32(p + Pair.g3, load32(guid + 12n));
  store64(p + Pair.iface, iface);
  store64(h + Record.count, n + 1n);
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
