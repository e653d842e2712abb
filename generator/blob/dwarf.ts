// The debugging information in purgatory.elf, from the layout: .debug_line (every
// instruction's templates/*.ts or stubs-asm/*.s line), .debug_info (compile units and
// functions) and .debug_frame (how to unwind each function). Only offsets inside the
// blob and relative file names go in, so the bytes are the same on every run and host.
import type { ArchName } from '../targets/target.ts';
import { ByteWriter } from './dwarf-encode.ts';
import { solveFrames, writeCie, writeFde, type FrameArch, type FrameInsn } from './dwarf-frame.ts';
import { ARM64_FRAMES } from './dwarf-frame-arm64.ts';
import { X86_64_FRAMES } from './dwarf-frame-x86_64.ts';
import { writeAbbrevs, writeInfo, DW_LANG_Mips_Assembler, type DebugFunction, type DebugUnit } from './dwarf-info.ts';
import { unitFiles, writeLineProgram, type LineRow } from './dwarf-line.ts';
import type { Layout, Placed } from './layout.ts';

const FRAMES: Record<ArchName, FrameArch> = { arm64: ARM64_FRAMES, x86_64: X86_64_FRAMES };

export interface DwarfInput {
  arch: ArchName;
  lay: Layout;
  /** Names of the compiled functions (templates/); stub labels are functions too. */
  functions: readonly string[];
  /** Blob offsets entered from outside (header entry, way-in): outermost frames. */
  entries: readonly number[];
  producer: string;
  /** Address of the blob's first byte in the ELF. */
  base: number;
}

export interface DebugSection {
  name: string;
  bytes: Uint8Array;
}

/** A contiguous run of code from one stub file, or from templates/ (the compiled half). */
interface Run {
  name: string;
  stub: boolean;
  placed: Placed[];
  low: number;
  high: number;
}

const runKey = (p: Placed): string | undefined =>
  p.line.file.startsWith('stubs-asm/') ? p.line.file : p.line.file.startsWith('templates/') ? 'templates' : undefined;

/** Runs that hold instructions, cut where the source changes; bounds are their instructions'. */
function codeRuns(lay: Layout): Run[] {
  const runs: Run[] = [];
  let cur: Run | undefined;
  for (const p of lay.placed) {
    if (p.size === 0) continue;
    const key = runKey(p);
    if (!cur || key !== cur.name) {
      cur = key ? { name: key, stub: key !== 'templates', placed: [], low: -1, high: -1 } : undefined;
      if (cur) runs.push(cur);
    }
    if (!cur) continue;
    cur.placed.push(p);
    if (p.insn && cur.low < 0) cur.low = p.offset;
    if (p.insn) cur.high = p.offset + p.size;
  }
  return runs.filter((r) => r.low >= 0).map((r) => ({ ...r, placed: r.placed.filter((p) => p.offset >= r.low && p.offset < r.high) }));
}

function rows(run: Run): LineRow[] {
  const out: LineRow[] = [];
  for (const p of run.placed) {
    const last = out[out.length - 1];
    if (last && last.file === p.line.file && last.line === p.line.line) continue;
    out.push({ address: p.offset, file: p.line.file, line: p.line.line });
  }
  return out;
}

/** Functions of a run: compiled function labels, or every code label of a stub. */
function runFunctions(run: Run, lay: Layout, compiled: ReadonlySet<string>, files: string[]): DebugFunction[] {
  const starts = lay.symbols
    .filter((s) => s.kind === 'func' && s.offset >= run.low && s.offset < run.high && (run.stub || compiled.has(s.name)))
    .sort((a, b) => a.offset - b.offset || a.name.localeCompare(b.name))
    .filter((s, i, all) => i === 0 || all[i - 1].offset !== s.offset); // one name per address
  const code = run.placed.filter((p) => p.insn).sort((a, b) => a.offset - b.offset);
  let at = 0; // one walk over the run's instructions: the functions are in address order
  return starts.map((s, i) => {
    const next = starts[i + 1]?.offset ?? run.high;
    while (at < code.length && code[at].offset < s.offset) at++;
    const from = at;
    while (at < code.length && code[at].offset < next) at++;
    const first = from < at ? code[from] : run.placed[0];
    const high = from < at ? code[at - 1].offset + code[at - 1].size : s.offset;
    return { name: s.name, low: s.offset, high, declFile: files.indexOf(first.line.file) + 1, declLine: first.line.line };
  }).filter((f) => f.high > f.low);
}

function frameSection(d: DwarfInput, units: DebugUnit[], compiled: ReadonlySet<string>): Uint8Array {
  const arch = FRAMES[d.arch];
  const insns: FrameInsn[] = d.lay.placed.filter((p) => p.insn).map((p) => ({ offset: p.offset, size: p.size, text: p.insn as string })).sort((a, b) => a.offset - b.offset);
  const starts = d.lay.symbols.filter((s) => compiled.has(s.name)).map((s) => s.offset);
  const state = solveFrames(insns, arch, starts, [...d.entries]);
  const w = new ByteWriter();
  const cie = writeCie(w, arch);
  for (const f of units.flatMap((u) => u.functions)) writeFde(w, arch, cie, f, insns, state, d.base);
  return w.toBytes();
}

/** .debug_abbrev, .debug_info, .debug_line and .debug_frame for the blob. */
export function writeDwarf(d: DwarfInput): DebugSection[] {
  const compiled = new Set(d.functions);
  const line = new ByteWriter();
  const units: DebugUnit[] = codeRuns(d.lay).map((run) => {
    const lineUnit = { rows: rows(run), end: run.high };
    const stmtList = writeLineProgram(line, lineUnit, d.base);
    const name = run.stub ? run.name : 'templates/main.ts';
    const functions = runFunctions(run, d.lay, compiled, unitFiles(lineUnit));
    return { name, language: run.stub ? DW_LANG_Mips_Assembler : undefined, low: run.low, high: run.high, stmtList, functions };
  });
  return [
    { name: '.debug_abbrev', bytes: writeAbbrevs() },
    { name: '.debug_info', bytes: writeInfo(units, d.producer, d.base) },
    { name: '.debug_line', bytes: line.toBytes() },
    { name: '.debug_frame', bytes: frameSection(d, units, compiled) },
  ];
}
