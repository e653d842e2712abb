// Builds Unified Kernel Images for tests the way ukify lays them out: the stub's own
// sections first, then .osrel, .cmdline, .initrd and finally .linux.
import { readFileSync } from 'node:fs';
import { appendSections, type NewSection } from '../../generator/formats/pe-write.ts';

export interface UkiParts {
  /** The systemd-stub (bytes or a path), e.g. systemdStub('arm64'). */
  stub: Uint8Array | string;
  /** The kernel (bytes or a path). */
  kernel: Uint8Array | string;
  initrd?: Uint8Array | string;
  cmdline?: string;
  osrel?: string;
}

const bytesOf = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? new Uint8Array(readFileSync(v)) : v);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function buildUki(parts: UkiParts): Uint8Array {
  const sections: NewSection[] = [];
  if (parts.osrel !== undefined) sections.push({ name: '.osrel', data: text(parts.osrel) });
  if (parts.cmdline !== undefined) sections.push({ name: '.cmdline', data: text(parts.cmdline) });
  if (parts.initrd !== undefined) sections.push({ name: '.initrd', data: bytesOf(parts.initrd) });
  sections.push({ name: '.linux', data: bytesOf(parts.kernel) });
  const stub = bytesOf(parts.stub);
  return appendSections(stub, typeof parts.stub === 'string' ? parts.stub : 'stub', sections);
}
