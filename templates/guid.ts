// EFI_GUIDs in memory: 16 bytes, 4-byte aligned (UEFI 2.10 §2.3.1), so compared and
// copied as four 32-bit words. The protocol database and the configuration tables both
// keep GUIDs by value.
import { type ptr } from './rt/types.ts';
import { load32, store32 } from './rt/intrinsics.ts';

export function sameGuid(a: ptr, b: ptr): boolean {
  return load32(a) == load32(b) && load32(a + 4n) == load32(b + 4n)
    && load32(a + 8n) == load32(b + 8n) && load32(a + 12n) == load32(b + 12n);
}

export function copyGuid(dst: ptr, src: ptr): void {
  store32(dst, load32(src));
  store32(dst + 4n, load32(src + 4n));
  store32(dst + 8n, load32(src + 8n));
  store32(dst + 12n, load32(src + 12n));
}
