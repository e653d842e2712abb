// expect: 15054891688074739217
// guid() bytes in EFI layout: the first three fields little-endian, the last 8 bytes as written.
import { u64 } from '../../../templates/rt/types.ts';
import { guid, load8 } from '../../../templates/rt/intrinsics.ts';

// EFI_LOADED_IMAGE_PROTOCOL_GUID
const LOADED_IMAGE = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');

export function main(): u64 {
  let r: u64 = 0n;
  if (load8(LOADED_IMAGE) == 0xa1n && load8(LOADED_IMAGE + 3n) == 0x5bn) r |= 1n;
  if (load8(LOADED_IMAGE + 4n) == 0x62n && load8(LOADED_IMAGE + 5n) == 0x95n) r |= 2n;
  if (load8(LOADED_IMAGE + 6n) == 0xd2n && load8(LOADED_IMAGE + 7n) == 0x11n) r |= 4n;
  if (load8(LOADED_IMAGE + 8n) == 0x8en && load8(LOADED_IMAGE + 15n) == 0x3bn) r |= 8n;
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < 16n; i++) h = (h << 4n) ^ u64(load8(LOADED_IMAGE + i)) ^ (h >> 60n);
  return (r << 60n) ^ h;
}
