// Recovers where every source line landed in the assembled bytes: keystone returns
// bytes only, so we walk the source once more, sizing data directives ourselves and
// instructions with capstone. The result gives the symbol table, the listing, and the
// source line behind any byte the relocation check flags.
import { GenError } from '../errors.ts';
import { openDecoder, type Decoder, type DisasmMode } from '../toolchain/disassembler.ts';
import type { UnitLine } from './source.ts';

export interface Placed {
  line: UnitLine;
  offset: number;
  size: number;
  /** capstone's text for an instruction, undefined for data and directives. */
  insn?: string;
}

export interface BlobSymbol {
  name: string;
  offset: number;
  kind: 'func' | 'object';
}

export interface Layout {
  placed: Placed[];
  symbols: BlobSymbol[];
}

const LABEL = /^\s*([A-Za-z_.$][\w.$]*):/;

/** Splits a directive's operands on top-level commas. */
function operands(rest: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\' && quoted) { cur += c + rest[++i]; continue; }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) { out.push(cur.trim()); cur = ''; } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Byte length of a string literal with C escapes. */
function literalLength(lit: string): number {
  const body = lit.trim().replace(/^"|"$/g, '');
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, '_').length;
}

function constant(expr: string, equ: Map<string, bigint>, where: UnitLine): number {
  const v = /^(0x[0-9a-f]+|\d+)$/i.test(expr) ? BigInt(expr) : equ.get(expr);
  if (v === undefined) throw new GenError(`${where.file}:${where.line}: layout needs a plain number or .equ name, got '${expr}'`);
  return Number(v);
}

const WIDTH: Record<string, number> = {
  '.byte': 1, '.short': 2, '.hword': 2, '.2byte': 2, '.long': 4, '.int': 4, '.4byte': 4, '.quad': 8, '.8byte': 8,
};

/** Size of a directive line at `offset`, or throws for directives we do not model. */
function directiveSize(code: string, offset: number, equ: Map<string, bigint>, line: UnitLine): number {
  const m = /^\s*(\.[\w]+)\s*(.*)$/.exec(code);
  if (!m) return 0;
  const [, name, rest] = m;
  const args = operands(rest);
  if (name in WIDTH) return WIDTH[name] * args.length;
  switch (name) {
    case '.equ': case '.set':
      equ.set(args[0], BigInt(constant(args[1], equ, line)));
      return 0;
    case '.ascii': return args.reduce((n, a) => n + literalLength(a), 0);
    case '.asciz': case '.string': return args.reduce((n, a) => n + literalLength(a) + 1, 0);
    case '.skip': case '.space': return constant(args[0], equ, line);
    case '.p2align': case '.balign': {
      const n = constant(args[0], equ, line);
      const align = name === '.p2align' ? 1 << n : n;
      return (align - (offset % align)) % align;
    }
    default:
      throw new GenError(`${line.file}:${line.line}: directive ${name} is not supported in stubs (the layout cannot size it)`);
  }
}

/** Size of one line's code (labels removed) at `offset`, and capstone's text if an instruction. */
function sizeLine(code: string, line: UnitLine, at: { offset: number; bytes: Uint8Array; base: bigint }, equ: Map<string, bigint>, decoder: Decoder): { size: number; insn?: string } {
  if (code.trim().startsWith('.')) return { size: directiveSize(code, at.offset, equ, line) };
  const i = decoder.one(at.bytes, at.base, at.offset);
  if (!i) throw new GenError(`${line.file}:${line.line}: capstone cannot decode the bytes at 0x${at.offset.toString(16)} (${code.trim()})`);
  return { size: i.size, insn: i.text };
}

/** Walks the unit over `bytes` (assembled at `base`). */
export async function layout(unit: UnitLine[], bytes: Uint8Array, mode: DisasmMode, base: bigint): Promise<Layout> {
  const placed: Placed[] = [];
  const pending: string[] = [];
  const symbols: BlobSymbol[] = [];
  const equ = new Map<string, bigint>();
  let offset = 0;
  const decoder = await openDecoder(mode);
  try {
    for (const line of unit) {
      let code = line.text;
      for (let m = LABEL.exec(code); m; m = LABEL.exec(code)) {
        pending.push(m[1]);
        code = code.slice(m[0].length);
      }
      if (!code.trim()) continue;
      const { size, insn } = sizeLine(code, line, { offset, bytes, base }, equ, decoder);
      if (size > 0 || insn) {
        for (const name of pending) symbols.push({ name, offset, kind: insn ? 'func' : 'object' });
        pending.length = 0;
      }
      placed.push({ line, offset, size, insn });
      offset += size;
    }
  } finally {
    decoder.close();
  }
  for (const name of pending) symbols.push({ name, offset, kind: 'object' });
  if (offset !== bytes.length) {
    throw new GenError(`layout of the blob source (${offset} bytes) disagrees with the assembler (${bytes.length} bytes): an unsupported construct in stubs-asm`);
  }
  return { placed, symbols };
}

/** The source line that produced the byte at `offset`. */
export function lineAt(l: Layout, offset: number): UnitLine | undefined {
  return l.placed.find((p) => offset >= p.offset && offset < p.offset + p.size)?.line;
}
