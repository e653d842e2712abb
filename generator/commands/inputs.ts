// Reading the files a plan is made of, with errors that name the file.
import { readFileSync } from 'node:fs';
import { GenError } from '../errors.ts';
import { packagePath } from '../paths.ts';
import { identifyImage, type ImageInfo } from '../formats/image.ts';
import { parseBlobHeader, type BlobHeader } from '../blob/header.ts';
import type { Target } from '../targets/target.ts';
import type { Payload } from '../loader/plan.ts';
import { parseConsoleSpec, type ConsoleChoice } from '../loader/console.ts';
import { parseNumber } from '../args.ts';

export function readInput(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory'
      : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new GenError(`${what} ${file}: cannot read: ${why}`);
  }
}

export interface KernelInput extends Payload {
  info: ImageInfo;
}

export function readKernel(file: string): KernelInput {
  const data = readInput(file, 'image');
  return { data, file, info: identifyImage(data, file) };
}

export function readOptional(file: string | undefined, what: string): Payload | undefined {
  if (file === undefined) return undefined;
  const data = readInput(file, what);
  if (data.length === 0) throw new GenError(`${what} ${file}: file is empty`);
  return { data, file };
}

export interface BlobInput {
  blob: Uint8Array;
  header: BlobHeader;
}

/** The blob from -b FILE, or the committed out/<arch>/purgatory.bin. */
export function readBlob(target: Target, file: string | undefined): BlobInput {
  const path = file ?? packagePath('out', target.name, 'purgatory.bin');
  const blob = readInput(path, 'blob');
  const header = parseBlobHeader(blob, path);
  if (header.machine !== target.peMachine) {
    throw new GenError(`blob ${path}: built for machine 0x${header.machine.toString(16)}, not ${target.name}`);
  }
  return { blob, header };
}

export function checkArch(kernel: KernelInput, target: Target): void {
  if (kernel.info.arch !== target.name) {
    throw new GenError(`image ${kernel.file}: is an ${kernel.info.arch} ${kernel.info.format}, but --arch is ${target.name}`);
  }
}

/** `--console SPEC` when given. */
export function consoleOption(spec: unknown): ConsoleChoice | undefined {
  return typeof spec === 'string' ? parseConsoleSpec(spec) : undefined;
}

/** `--blob-addr ADDR` when given. */
export function blobAddrOption(addr: unknown): bigint | undefined {
  return typeof addr === 'string' ? BigInt(parseNumber(addr, '--blob-addr')) : undefined;
}
