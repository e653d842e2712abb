// Linux user-mode executables for `compile --run` and the differential tests: the
// compiled program plus the back end's hosted start-up, assembled like the blob and
// wrapped in a one-segment ELF at a user-space address.
import { assemble, type SourceLine } from '../toolchain/assembler.ts';
import { layout } from '../blob/layout.ts';
import { asmText, checkNumbers, compiledUnit, type UnitLine } from '../blob/source.ts';
import { writeElf } from '../blob/elf.ts';
import { GenError } from '../errors.ts';
import type { Target } from '../targets/target.ts';

/** Where hosted executables are linked; the code is position-independent anyway. */
export const HOSTED_BASE = 0x40_0000;
/** Zeroed room after the image for the stack the start-up code uses. */
export const HOSTED_STACK = 0x10_0000;

/** Assembly lines as unit lines of one file, comments kept for the listing. */
export function toUnit(file: string, lines: string[]): UnitLine[] {
  return asmText(file, lines.join('\n'));
}

/** Compiled assembly (lines tagged `// file:line`) as an executable. */
export function hostedExecutable(target: Target, asm: string[]): Promise<Uint8Array> {
  return linkHosted(target, compiledUnit(asm));
}

/** Assembles a unit that defines `_start` and wraps it in an ELF executable. */
export async function linkHosted(target: Target, unit: UnitLine[]): Promise<Uint8Array> {
  checkNumbers(unit);
  const bin = await assemble(unit as SourceLine[], target.asm, BigInt(HOSTED_BASE));
  const lay = await layout(unit, bin, target.disasm, BigInt(HOSTED_BASE));
  const start = lay.symbols.find((s) => s.name === '_start');
  if (!start) throw new GenError('hosted program has no _start');
  return writeElf({ machine: target.elfMachine, blob: bin, memSize: bin.length + HOSTED_STACK, entry: start.offset, symbols: lay.symbols, base: HOSTED_BASE });
}
