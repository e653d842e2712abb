// How the emulator gives up: one line naming what failed and the value involved, then
// the machine stops. Also the one-line notes for services we do not implement.
import { u64, type ptr } from './rt/types.ts';
import { ascii, putc, halt } from './rt/intrinsics.ts';
import { puts, puthex } from './console.ts';

const ERROR = ascii('gen-purgatory: error: ');
const NOTE = ascii('gen-purgatory: ');

/** Prints "gen-purgatory: error: <what> 0x<value>" and stops the machine. */
export function fail(what: ptr, value: u64): void {
  puts(ERROR);
  puts(what);
  putc(0x20n);
  puthex(value);
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
  puts(what);
  putc(0x20n);
  puthex(value);
  putc(0x0an);
}
