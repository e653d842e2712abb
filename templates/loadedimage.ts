// EFI_LOADED_IMAGE_PROTOCOL (UEFI 2.10 §9.1): what every image finds on its own handle.
// The Linux stub checks ImageBase against its own _text and reads LoadOptions;
// systemd-stub parses its PE headers at ImageBase and, in some versions, needs the
// LoadedImageDevicePath protocol beside it.
import { u32, u64, ptr } from './rt/types.ts';
import { guid, struct, store32, store64 } from './rt/intrinsics.ts';
import { EfiLoaderCode, EfiLoaderData } from './efi.ts';

export const LOADED_IMAGE_GUID = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');
export const LOADED_IMAGE_DEVICE_PATH_GUID = guid('bc62157e-3e33-4fec-9920-2d3b36d750df');

/** EFI_LOADED_IMAGE_PROTOCOL_REVISION. */
export const LOADED_IMAGE_REVISION: u32 = 0x1000n;

/** The protocol's 0x60-byte layout (64-bit). */
export const LoadedImage = struct({
  revision: u32, parentHandle: ptr, systemTable: ptr, deviceHandle: ptr, filePath: ptr, reserved: ptr,
  loadOptionsSize: u32, loadOptions: ptr, imageBase: ptr, imageSize: u64,
  imageCodeType: u32, imageDataType: u32, unload: ptr,
});

/**
 * Fills the protocol at `li` for an image at [base, base + size), loaded as
 * EfiLoaderCode with EfiLoaderData pools, and without load options yet.
 */
export function liInit(li: ptr, parent: ptr, systab: ptr, device: ptr, filePath: ptr, base: ptr, size: u64, unload: ptr): void {
  for (let off: u64 = 0n; off < LoadedImage.$size; off += 8n) store64(li + off, 0n); // padding too
  store32(li + LoadedImage.revision, LOADED_IMAGE_REVISION);
  store64(li + LoadedImage.parentHandle, parent);
  store64(li + LoadedImage.systemTable, systab);
  store64(li + LoadedImage.deviceHandle, device);
  store64(li + LoadedImage.filePath, filePath);
  store64(li + LoadedImage.imageBase, base);
  store64(li + LoadedImage.imageSize, size);
  store32(li + LoadedImage.imageCodeType, EfiLoaderCode);
  store32(li + LoadedImage.imageDataType, EfiLoaderData);
  store64(li + LoadedImage.unload, unload);
}
