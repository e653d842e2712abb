// The variable store behind GetVariable/GetNextVariableName (UEFI 2.10 §8.2), read-only
// and honest: it holds Secure Boot's state only when the blob enforces a trust list
// (a wrapper made with --trust, docs/secure-boot.md). Then SecureBoot reads 1, SetupMode
// 0, and db holds the trusted certificates, one EFI_SIGNATURE_LIST of EFI_CERT_X509_GUID
// each, built from the trust list on every read. Otherwise the store is empty, and
// SecureBoot absent means disabled.
import { u8, u16, u32, u64, type ptr } from './rt/types.ts';
import { load8, load16, load32, load64, store8, store16, store32, store64, ascii, ucs2, guid, table } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_BUFFER_TOO_SMALL, EFI_INVALID_PARAMETER, EFI_NOT_FOUND } from './efi.ts';
import { Handoff, HANDOFF_FLAG_PLATFORM_SECURE_BOOT } from './handoff.ts';
import { sameGuid, copyGuid } from './guid.ts';
import { note } from './fail.ts';
import { PayloadCheck } from './payloadcheck.ts';

export const EFI_GLOBAL_VARIABLE = guid('8be4df61-93ca-11d2-aa0d-00e098032b8c');
export const EFI_IMAGE_SECURITY_DATABASE_GUID = guid('d719b2cb-3d3a-4596-a3bc-dad00e67656f');
export const EFI_CERT_X509_GUID = guid('a5c059a1-94e4-4aa7-87b5-ab155c2bf072');
/** The SignatureOwner of our db entries: gen-purgatory's own, fixed. */
const OWNER = guid('6770702d-7472-7573-742d-6c6973740000');

export const EFI_VARIABLE_NON_VOLATILE: u32 = 1n;
export const EFI_VARIABLE_BOOTSERVICE_ACCESS: u32 = 2n;
export const EFI_VARIABLE_RUNTIME_ACCESS: u32 = 4n;
export const EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS: u32 = 0x20n;

const N_SECURE_BOOT = ucs2('SecureBoot');
const N_SETUP_MODE = ucs2('SetupMode');
const N_DB = ucs2('db');
/** The variables in enumeration order (nameOf, guidOf), and their attributes. */
const ATTRIBUTES = table(4, [6n, 6n, 0x27n]); // BS|RT, BS|RT, NV|BS|RT|time-based authenticated
const COUNT: u64 = 3n;
const DB: u64 = 2n;
/** EFI_SIGNATURE_LIST header (28 bytes) and EFI_SIGNATURE_DATA's owner GUID before the certificate. */
const LIST_HEADER: u64 = 28n;
const OWNER_SIZE: u64 = 16n;

const M_UNENFORCED = ascii('secure boot: the platform booted with Secure Boot, but this wrapper has no --trust list: the payload is not verified and SecureBoot reads as off');

/** The trust list the blob enforces (0: none, the store is empty). */
let trust: ptr = 0n;

/** Takes the trust list of the handoff block's first payload check that has one. */
export function varInit(h: ptr): void {
  trust = 0n;
  const n: u64 = u64(load32(h + Handoff.digestCount));
  const first: ptr = h + load64(h + Handoff.digestsOffset);
  for (let i: u64 = 0n; i < n && trust == 0n; i++) trust = load64(first + i * PayloadCheck.$size + PayloadCheck.trust);
  if (trust == 0n && (load64(h + Handoff.flags) & HANDOFF_FLAG_PLATFORM_SECURE_BOOT) != 0n) note(M_UNENFORCED);
}

/** Variable `i`'s name (data addresses cannot sit in a table: the blob is position-independent). */
function nameOf(i: u64): ptr {
  return i == 0n ? N_SECURE_BOOT : i == 1n ? N_SETUP_MODE : N_DB;
}

function guidOf(i: u64): ptr {
  return i == DB ? EFI_IMAGE_SECURITY_DATABASE_GUID : EFI_GLOBAL_VARIABLE;
}

/** The index of variable (`name`, `vendor`), or COUNT when there is none such. */
function find(name: ptr, vendor: ptr): u64 {
  if (trust == 0n) return COUNT;
  for (let i: u64 = 0n; i < COUNT; i++) {
    if (sameName(name, nameOf(i)) && sameGuid(vendor, guidOf(i))) return i;
  }
  return COUNT;
}

/** Two NUL-terminated UCS-2 strings are equal. */
function sameName(a: ptr, b: ptr): boolean {
  for (let i: u64 = 0n; ; i += 2n) {
    const c: u16 = load16(a + i);
    if (c != load16(b + i)) return false;
    if (c == 0n) return true;
  }
}

/** Bytes in a NUL-terminated UCS-2 string, the NUL included. */
function nameBytes(s: ptr): u64 {
  let n: u64 = 0n;
  while (load16(s + n) != 0n) n += 2n;
  return n + 2n;
}

/** Walks the trust list (docs/secure-boot.md): the entry after the one at `e`, or its end (length 0). */
function nextCert(e: ptr): ptr {
  return e + ((4n + u64(load32(e)) + 7n) & ~7n);
}

/** db's size: one signature list per certificate. */
function dbSize(): u64 {
  let size: u64 = 0n;
  for (let e: ptr = trust; load32(e) != 0n; e = nextCert(e)) size += LIST_HEADER + OWNER_SIZE + u64(load32(e));
  return size;
}

/** Writes db at `out`: per certificate, EFI_SIGNATURE_LIST { X509, size, 0, 16 + N } then owner and DER. */
function dbWrite(out: ptr): void {
  let p: ptr = out;
  for (let e: ptr = trust; load32(e) != 0n; e = nextCert(e)) {
    const n: u64 = u64(load32(e));
    copyGuid(p, EFI_CERT_X509_GUID);
    store32(p + 16n, u32(LIST_HEADER + OWNER_SIZE + n));
    store32(p + 20n, 0n);
    store32(p + 24n, u32(OWNER_SIZE + n));
    copyGuid(p + LIST_HEADER, OWNER);
    for (let i: u64 = 0n; i < n; i++) store8(p + LIST_HEADER + OWNER_SIZE + i, load8(e + 4n + i));
    p += LIST_HEADER + OWNER_SIZE + n;
  }
}

/** GetVariable: the size probe, EFI_BUFFER_TOO_SMALL with the size needed, or the data. */
export function getVariable(name: ptr, vendor: ptr, attributes: ptr, dataSize: ptr, data: ptr): u64 {
  if (name == 0n || vendor == 0n || dataSize == 0n) return EFI_INVALID_PARAMETER;
  const i: u64 = find(name, vendor);
  if (i == COUNT) return EFI_NOT_FOUND;
  const size: u64 = i == DB ? dbSize() : 1n;
  if (attributes != 0n) store32(attributes, load32(ATTRIBUTES + i * 4n));
  if (load64(dataSize) < size) {
    store64(dataSize, size);
    return EFI_BUFFER_TOO_SMALL;
  }
  if (data == 0n) return EFI_INVALID_PARAMETER;
  store64(dataSize, size);
  if (i == DB) dbWrite(data);
  else store8(data, i == 0n ? u8(1n) : u8(0n)); // SecureBoot 1, SetupMode 0
  return EFI_SUCCESS;
}

/** GetNextVariableName: "" starts, each call returns the next; EFI_NOT_FOUND after the last. */
export function getNextVariableName(nameSize: ptr, name: ptr, vendor: ptr): u64 {
  if (nameSize == 0n || name == 0n || vendor == 0n) return EFI_INVALID_PARAMETER;
  let next: u64 = 0n;
  if (load16(name) != 0n) {
    const i: u64 = find(name, vendor);
    if (i == COUNT) return trust == 0n ? EFI_NOT_FOUND : EFI_INVALID_PARAMETER;
    next = i + 1n;
  }
  if (trust == 0n || next == COUNT) return EFI_NOT_FOUND;
  const src: ptr = nameOf(next);
  const bytes: u64 = nameBytes(src);
  if (load64(nameSize) < bytes) {
    store64(nameSize, bytes);
    return EFI_BUFFER_TOO_SMALL;
  }
  for (let j: u64 = 0n; j < bytes; j += 2n) store16(name + j, load16(src + j));
  store64(nameSize, bytes);
  copyGuid(vendor, guidOf(next));
  return EFI_SUCCESS;
}

/** Whether the blob enforces a trust list (the stub's Secure Boot paths are then honest). */
export function varEnforcing(): boolean {
  return trust != 0n;
}
