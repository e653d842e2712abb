// Gathers the blob's assembly unit: generated equates, the header, the stub files of
// the target in link order, and the end marker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenError } from '../errors.ts';
import { packagePath } from '../paths.ts';
import type { SourceLine } from '../toolchain/assembler.ts';
import type { Target } from '../targets/target.ts';
import { headerEquates, headerSource } from './header.ts';
import { layoutEquates } from '../loader/layout.ts';

export const STUBS_DIR: string = packagePath('stubs-asm') + '/';

/** A source line with its comment split off, so keystone never sees comments. */
export interface UnitLine extends SourceLine {
  comment: string;
}

/** Splits `code // comment`, ignoring `//` inside string literals. */
export function splitComment(text: string): { code: string; comment: string } {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '/' && text[i + 1] === '/') {
      return { code: text.slice(0, i).trimEnd(), comment: text.slice(i + 2).trim() };
    }
  }
  return { code: text.trimEnd(), comment: '' };
}

function tagged(file: string, lines: SourceLine[]): UnitLine[] {
  return lines.map((l) => {
    const { code, comment } = splitComment(l.text);
    return { file, line: l.line, text: code, comment };
  });
}

function equates(pairs: [string, bigint | number][], file: string): UnitLine[] {
  return pairs.map(([name, value], i) => ({
    file, line: i + 1, text: `        .equ    ${name}, 0x${value.toString(16)}`, comment: '',
  }));
}

/**
 * keystone reads bare decimals as hex in x86 mode (`$32` assembles as 0x32), so every
 * stub writes numbers of two or more digits in hex; this rejects the rest.
 */
export function checkNumbers(lines: SourceLine[]): void {
  for (const l of lines) {
    const code = l.text.replace(/"(\\.|[^"\\])*"/g, '""');
    const m = /(?<![\w.])(\d{2,})(?![\w.])/.exec(code);
    if (m) throw new GenError(`${l.file}:${l.line}: write ${m[1]} as 0x${Number(m[1]).toString(16)}: decimals of two or more digits are ambiguous to keystone`);
  }
}

/** Assembly text as unit lines of `file`, comments split off. */
export function asmText(file: string, text: string): UnitLine[] {
  return tagged(file, text.split('\n').map((t, i) => ({ file, line: i + 1, text: t })));
}

/** An assembly file as unit lines, shown as `display` in errors and listings. */
export function asmFile(path: string, display: string): UnitLine[] {
  return asmText(display, readFileSync(path, 'utf8'));
}

/** Reads stubs-asm/<arch>/<stem>.s for the given stems. */
export function stubLines(target: Target, stems: readonly string[]): UnitLine[] {
  return stems.flatMap((stem) => {
    const lines = asmFile(join(STUBS_DIR, target.name, `${stem}.s`), `stubs-asm/${target.name}/${stem}.s`);
    checkNumbers(lines);
    return lines;
  });
}

/** Lines after __file_end are never loaded from the file: only labels, .skip and alignment. */
export function zeroFilled(lines: UnitLine[]): UnitLine[] {
  for (const l of lines) {
    const code = splitComment(l.text).code.trim();
    if (code && !/^[A-Za-z_][\w.]*:$/.test(code) && !/^\.(skip|p2align)\s/.test(code)) {
      throw new GenError(`${l.file}:${l.line}: zero-filled data takes only labels, .skip and .p2align: ${code}`);
    }
  }
  return lines;
}

/**
 * Compiled TypeScript as unit lines: each line's `// file:line` comment becomes its
 * source position, so errors and the listing name the TypeScript line.
 */
export function compiledUnit(asm: string[]): UnitLine[] {
  return asm.map((text, i): UnitLine => {
    const { code, comment } = splitComment(text);
    const at = /^(\S+):(\d+)$/.exec(comment);
    return at ? { file: at[1], line: Number(at[2]), text: code, comment: '' } : { file: '<compiled>', line: i + 1, text: code, comment };
  });
}

/** Aligns and places an end label: the file ends 16-aligned, and so does the stack base. */
function trailer(target: Target, label: string): UnitLine[] {
  const lines = [`        ${target.alignTo(4)}`, label];
  return tagged('<trailer>', lines.map((text, i) => ({ file: '<trailer>', line: i + 1, text })));
}

/** The TypeScript half of a blob: its code and its data, placed apart. */
export interface CompiledUnit {
  code: UnitLine[];
  data: UnitLine[];
  /** Zero-filled data, after the file image: memory but no file bytes. */
  bss: UnitLine[];
  /** The compiled functions' labels, for the ELF's debugging information. */
  functions?: string[];
}



/**
 * The whole unit for one blob; `extra` are equates such as the built-in console, and
 * `compiled` the TypeScript half (templates/) compiled for the target.
 */
export function blobUnit(target: Target, extra: [string, bigint | number][], compiled: CompiledUnit): UnitLine[] {
  return [
    ...equates([...headerEquates(target), ...layoutEquates(), ...extra], '<equates>'),
    ...tagged('<header>', headerSource()),
    ...stubLines(target, target.codeStubs),
    ...compiled.code,
    ...stubLines(target, target.dataStubs),
    ...compiled.data,
    ...trailer(target, '__file_end:'),
    ...zeroFilled(stubLines(target, target.bssStubs)),
    ...compiled.bss,
    ...trailer(target, '__mem_end:'),
  ];
}
