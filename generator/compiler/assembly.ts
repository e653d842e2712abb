// From the IR to assembly text for one target: the back ends' half of the compiler,
// which needs no TypeScript (generation from the precompiled front end loads only this).
import type { Target } from '../targets/target.ts';
import type { Program } from './ir.ts';
import { BACKENDS } from './backends/index.ts';

export interface Assembly {
  code: string[];
  data: string[];
  /** Zero-filled data: goes after the file image, where it takes no bytes. */
  bss: string[];
}

/** Zero-filled data as alignment, label and a size; the same text on every target. */
function bssLines(program: Program, target: Target): string[] {
  return program.data.filter((d) => d.zero).flatMap((d) => [
    `        ${target.alignTo(Math.log2(Math.max(d.align, 1)))}`,
    `${d.symbol}:`,
    `        .skip   0x${d.bytes.length.toString(16)}`,
  ]);
}

/** Annotated assembly of every function, the data and the zero-filled data, for one target. */
export function assemblyFor(c: { program: Program }, target: Target): Assembly {
  const be = BACKENDS[target.name];
  const code = c.program.funcs.flatMap((f) => be.emitFunc(f));
  return {
    code: be.finishCode ? be.finishCode(code, c.program.data) : code,
    data: be.emitData(c.program.data.filter((d) => !d.zero)),
    bss: bssLines(c.program, target),
  };
}
