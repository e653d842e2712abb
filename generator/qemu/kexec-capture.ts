// Turns a capture run's console (CAPTURE_PREFIX marker lines around base64) back into
// the files the guest dumped, and names them for test/fixtures/captured/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenError } from '../errors.ts';
import { CAPTURE_PREFIX } from './kexec-initramfs.ts';
import type { ConsoleLine } from './kexec.ts';

/** Guest file name ("fdt", "setup_data.0.type-0x1", ...) to its bytes, in dump order. */
export function parseCapture(lines: ConsoleLine[]): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let name: string | undefined;
  let body: string[] = [];
  let done = false;
  for (const { text } of lines) {
    const line = text.trim();
    if (line.startsWith(`${CAPTURE_PREFIX}begin `)) {
      name = line.slice(CAPTURE_PREFIX.length + 6);
      body = [];
    } else if (name !== undefined && line === `${CAPTURE_PREFIX}end ${name}`) {
      files.set(name, Buffer.from(body.join(''), 'base64'));
      name = undefined;
    } else if (name !== undefined) {
      if (!/^[A-Za-z0-9+/=]*$/.test(line)) throw new GenError(`qemu --kexec --capture: a console line broke into the dump of ${name}: ${line.slice(0, 80)}`, 1);
      body.push(line);
    } else if (line === `${CAPTURE_PREFIX}done`) {
      done = true;
    }
  }
  if (!done) throw new GenError('qemu --kexec --capture: the guest did not finish its dump (no "done" line)', 1);
  return files;
}

/** File name for a dumped guest file, e.g. "x86_64-uefi.setup_data-1-type-0x9.bin". */
export function captureFileName(prefix: string, name: string): string {
  const setup = /^setup_data\.(\d+)\.type-(0x[0-9a-f]+)$/i.exec(name);
  if (setup) return `${prefix}.setup_data-${setup[1]}-type-${setup[2]}.bin`;
  const fixed: Record<string, string> = { fdt: 'dtb', boot_params: 'boot_params', iomem: 'iomem.txt', memmap: 'memmap.txt' };
  return `${prefix}.${fixed[name] ?? `${name}.bin`}`;
}

/** Writes every dumped file into `dir`; returns the paths written. */
export function writeCapture(dir: string, prefix: string, files: Map<string, Uint8Array>): string[] {
  mkdirSync(dir, { recursive: true });
  return [...files].map(([name, data]) => {
    const path = join(dir, captureFileName(prefix, name));
    writeFileSync(path, data);
    return path;
  });
}
