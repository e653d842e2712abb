// The emulator's main line, entered from stubs-asm/<arch>/entry.s once there is a stack
// and a console: build the memory map and the identity map, publish the system table,
// install the consoles, the RNG and the initrd, then load the kernel image from its
// segment and start it. Success never comes back: the image calls ExitBootServices and
// enters Linux. Anything else is reported and stops the machine.
import { u32, u64, type ptr } from './rt/types.ts';
import { load32, load64, store32, store64, zeroed, ascii, ucs2 } from './rt/intrinsics.ts';
import { Handoff } from './handoff.ts';
import { EFI_SUCCESS, EfiLoaderData, EFI_PAGE_SIZE } from './efi.ts';
import { ramInit } from './ram.ts';
import { pagingInit } from './paging.ts';
import { SystemTable, systemTable } from './systable.ts';
import { tableHeader } from './tableheader.ts';
import { bsInit } from './bootservices.ts';
import { rtInit } from './runtime.ts';
import {
  configInit, installConfigurationTable, DEVICE_TREE_GUID, ACPI_20_TABLE_GUID, SMBIOS_TABLE_GUID, SMBIOS3_TABLE_GUID,
} from './configtables.ts';
import { hdInstall } from './handles.ts';
import { conoutInit, SIMPLE_TEXT_OUTPUT_GUID } from './conout.ts';
import { coninInit, SIMPLE_TEXT_INPUT_GUID } from './conin.ts';
import { rngInit, RNG_PROTOCOL_GUID } from './rng.ts';
import { initrdInstall } from './loadfile2.ts';
import { imgLoadSegment, efiStartImage, imgLoadedImage } from './image.ts';
import { LoadedImage } from './loadedimage.ts';
import { poolAllocate } from './pool.ts';
import { utf8ToUcs2 } from './cmdline.ts';
import { fail, noteValue } from './fail.ts';
import { checkPayloads } from './payloadcheck.ts';
import { varInit } from './variables.ts';

const SIGNATURE: u64 = 0x5453_5953_2049_4249n; // "IBI SYST"
const VENDOR = ucs2('gen-purgatory');
const FIRMWARE_REVISION: u32 = 0x10000n;
/** Out-parameters of the services we call ourselves. */
const CONSOLE_HANDLE = zeroed(8n, 8n);
const RNG_HANDLE = zeroed(8n, 8n);
const IMAGE_HANDLE = zeroed(8n, 8n);
const OPTIONS = zeroed(8n, 8n);

const SMBIOS3_ANCHOR: u32 = 0x334d_535fn; // "_SM3"
const E_CONSOLE = ascii('cannot install the console protocols, status');
const E_RNG = ascii('cannot install EFI_RNG_PROTOCOL, status');
const E_INITRD = ascii('cannot install the initrd LoadFile2 protocol, status');
const E_LOAD = ascii('LoadImage of the kernel image failed, status');
const E_OPTIONS = ascii('no memory for the command line, status');
const E_RETURNED = ascii('the image returned from its entry point, status');
const STARTING = ascii('starting the image, handle');

/** Fills the system table and the configuration tables the handoff block describes. */
function tablesInit(h: ptr): void {
  const st: ptr = systemTable();
  store64(st + SystemTable.firmwareVendor, VENDOR);
  store32(st + SystemTable.firmwareRevision, FIRMWARE_REVISION);
  store64(st + SystemTable.bootServices, bsInit());
  store64(st + SystemTable.runtimeServices, rtInit());
  const conOut: ptr = conoutInit();
  const conIn: ptr = coninInit();
  let status: u64 = hdInstall(CONSOLE_HANDLE, SIMPLE_TEXT_OUTPUT_GUID, conOut);
  if (status == EFI_SUCCESS) status = hdInstall(CONSOLE_HANDLE, SIMPLE_TEXT_INPUT_GUID, conIn);
  if (status != EFI_SUCCESS) fail(E_CONSOLE, status);
  const handle: ptr = load64(CONSOLE_HANDLE);
  store64(st + SystemTable.consoleInHandle, handle);
  store64(st + SystemTable.conIn, conIn);
  store64(st + SystemTable.consoleOutHandle, handle);
  store64(st + SystemTable.conOut, conOut);
  store64(st + SystemTable.standardErrorHandle, handle);
  store64(st + SystemTable.stdErr, conOut);
  tableHeader(st, SIGNATURE, SystemTable.$size);
  configInit();
  const dtb: ptr = load64(h + Handoff.dtbAddr);
  if (dtb != 0n) installConfigurationTable(DEVICE_TREE_GUID, dtb);
  const rsdp: ptr = load64(h + Handoff.acpiRsdp);
  if (rsdp != 0n) installConfigurationTable(ACPI_20_TABLE_GUID, rsdp);
  const smbios: ptr = load64(h + Handoff.smbios);
  if (smbios != 0n) installConfigurationTable(load32(smbios) == SMBIOS3_ANCHOR ? SMBIOS3_TABLE_GUID : SMBIOS_TABLE_GUID, smbios);
}

/** The protocols that are not tied to an image: the RNG always, the initrd when given. */
function protocolsInit(h: ptr): void {
  const status: u64 = hdInstall(RNG_HANDLE, RNG_PROTOCOL_GUID, rngInit(h + Handoff.rng0));
  if (status != EFI_SUCCESS) fail(E_RNG, status);
  const size: u64 = load64(h + Handoff.initrdSize);
  if (size == 0n) return;
  const s: u64 = initrdInstall(load64(h + Handoff.initrdAddr), size);
  if (s != EFI_SUCCESS) fail(E_INITRD, s);
}

/** LoadOptions: the UTF-8 command line as the NUL-terminated UCS-2 string images expect. */
function setLoadOptions(h: ptr, image: ptr): void {
  const len: u64 = load64(h + Handoff.cmdlineSize);
  if (len == 0n) return;
  const status: u64 = poolAllocate(EfiLoaderData, len * 2n + 2n, OPTIONS);
  if (status != EFI_SUCCESS) fail(E_OPTIONS, status);
  const bytes: u64 = utf8ToUcs2(load64(h + Handoff.cmdlineAddr), len, load64(OPTIONS));
  const li: ptr = imgLoadedImage(image);
  store32(li + LoadedImage.loadOptionsSize, u32(bytes));
  store64(li + LoadedImage.loadOptions, load64(OPTIONS));
}

/** `con` is the console in use (32 bytes, docs/handoff.md); [blobStart, blobEnd) is our own memory. */
export function efiMain(h: ptr, blobStart: ptr, blobEnd: ptr, con: ptr): void {
  ramInit(h, blobStart, blobEnd);
  pagingInit(h, con);
  tablesInit(h);
  protocolsInit(h);
  varInit(h);
  checkPayloads(h);
  const room: u64 = u64(load32(h + Handoff.imagePages)) * EFI_PAGE_SIZE;
  const status: u64 = imgLoadSegment(load64(h + Handoff.imageAddr), load64(h + Handoff.imageSize), room, IMAGE_HANDLE);
  if (status != EFI_SUCCESS) fail(E_LOAD, status);
  const image: ptr = load64(IMAGE_HANDLE);
  setLoadOptions(h, image);
  noteValue(STARTING, image);
  fail(E_RETURNED, efiStartImage(image, 0n, 0n));
}
