// One error type for everything a user can cause. The CLI prints its message as a
// single line and exits with its code; nothing else reaches the terminal.

/** Exit codes, as documented in the README. */
export const EXIT_USAGE = 64;
export const EXIT_INPUT = 2;
export const EXIT_RUNTIME = 1;

export class GenError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_INPUT) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A malformed input file: names the file, the byte offset and the field. */
export class FormatError extends GenError {
  readonly file: string;
  readonly offset: number;
  readonly field: string;
  constructor(file: string, offset: number, field: string, what: string) {
    super(`${file}: offset 0x${offset.toString(16)}: ${field}: ${what}`, EXIT_INPUT);
    this.file = file;
    this.offset = offset;
    this.field = field;
  }
}

export class UsageError extends GenError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
