// The committed blobs with a known way-in entry offset patched in, so the wrap tests can
// predict where the wrapped image's entry branches to.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Arch } from './debian.ts';

/** The way-in entry offset the test blobs carry. */
export const WAYIN = 0x1234;

/** out/<arch>/purgatory.bin with the way-in entry at `wayin`. */
export function testBlob(arch: Arch, wayin: number = WAYIN): Uint8Array {
  const blob = new Uint8Array(readFileSync(join(ROOT, 'out', arch, 'purgatory.bin')));
  new DataView(blob.buffer).setBigUint64(0x38, BigInt(wayin), true);
  return blob;
}

/** testBlob(arch) as a file in `dir`, written once: for `wrap --blob`. */
export function testBlobFile(dir: string, arch: Arch): string {
  const file = join(dir, `blob-${arch}.bin`);
  if (!existsSync(file)) writeFileSync(file, testBlob(arch));
  return file;
}
