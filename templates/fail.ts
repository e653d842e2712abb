// How the emulator gives up: one line naming what failed and the value involved, then
// the machine stops. Also the one-line notes for services we do not implement.
import { u64, type ptr } from './rt/types.ts';
import { ascii, putc, halt } from './rt/intrinsics.ts';
import { puts, puthex } from './console.ts';
import { EFI_UNSUPPORTED } from './efi.ts';

const ERROR = ascii('gen-purgatory: error: ');
const NOTE = ascii('gen-purgatory: ');
/** The usual reason for unsupportedBecause; reasons carry their ": " so callers' names need none. */
export const NOT_SUPPORTED = ascii(': not supported');
const UNSUPPORTED = ascii(', EFI_UNSUPPORTED');

/** Prints "gen-purgatory: error: <what> 0x<value>" and stops the machine. */
export function fail(what: ptr, value: u64): void {
  puts(ERROR);
  putValueLine(what, value);
  halt();
}

/** Prints "gen-purgatory: error: <what><reason><tail>" and stops the machine: a failure named by a message of its own. */
export function failBecause(what: ptr, reason: ptr, tail: ptr): void {
  puts(ERROR);
  puts(what);
  puts(reason);
  puts(tail);
  putc(0x0an);
  halt();
}

/** Prints "gen-purgatory: <what>" on a line of its own, and goes on. */
export function note(what: ptr): void {
  puts(NOTE);
  puts(what);
  putc(0x0an);
}

/** Prints "gen-purgatory: <what> 0x<value>" on a line of its own, and goes on. */
export function noteValue(what: ptr, value: u64): void {
  puts(NOTE);
  putValueLine(what, value);
}

/** "<what> 0x<value>" and the line's end: the tail every message with a value shares. */
export function putValueLine(what: ptr, value: u64): void {
  puts(what);
  putc(0x20n);
  puthex(value);
  putc(0x0an);
}

/** A service we do not implement: prints "gen-purgatory: <service>: not supported, EFI_UNSUPPORTED". */
export function unsupported(service: ptr): u64 {
  return unsupportedBecause(service, NOT_SUPPORTED);
}

/** Prints "gen-purgatory: <service><reason>, EFI_UNSUPPORTED", `reason` starting with ": ". */
export function unsupportedBecause(service: ptr, reason: ptr): u64 {
  puts(NOTE);
  puts(service);
  puts(reason);
  puts(UNSUPPORTED);
  putc(0x0an);
  return EFI_UNSUPPORTED;
}
