// .debug_line: one DWARF 4 line program per compile unit, one row wherever the source
// line changes. File names are relative to the unit's comp_dir (".", the project root),
// so gdb finds templates/*.ts and stubs-asm/*.s from the root or through `directory`.
import { ByteWriter } from './dwarf-encode.ts';

/** One address where a new source line starts. */
export interface LineRow {
  address: number;
  file: string;
  line: number;
}

/** A unit's rows in address order, and the address just past its last byte. */
export interface LineUnit {
  rows: LineRow[];
  end: number;
}

// Standard opcodes (DWARF 4, 6.2.5.2) and extended ones (6.2.5.3).
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;

// The usual special-opcode window: line steps -5..8, addresses in bytes (x86 has no
// instruction alignment, so minimum_instruction_length is 1 on both arches).
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];

/** The unit's file names in first-use order; DWARF 4 numbers them from 1. */
export function unitFiles(u: LineUnit): string[] {
  return [...new Set(u.rows.map((r) => r.file))];
}

function header(w: ByteWriter, files: string[]): void {
  w.u16(4); // version
  const endHeader = w.lengthField();
  w.u8(1).u8(1).u8(1); // minimum_instruction_length, max ops per instruction, default_is_stmt
  w.u8(LINE_BASE & 0xff).u8(LINE_RANGE).u8(OPCODE_BASE);
  w.raw(STANDARD_LENGTHS);
  w.u8(0); // no include_directories: directory 0 is the comp_dir
  for (const f of files) w.cstring(f).uleb(0).uleb(0).uleb(0); // dir 0, no mtime, no size
  w.u8(0);
  endHeader();
}

function extended(w: ByteWriter, op: number, operand: number[]): void {
  w.u8(0).uleb(operand.length + 1).u8(op).raw(operand);
}

/** One row: a special opcode when the steps fit, else explicit advances and a copy. */
function step(w: ByteWriter, dLine: number, dAddr: number): void {
  if (dLine < LINE_BASE || dLine >= LINE_BASE + LINE_RANGE) {
    w.u8(DW_LNS_advance_line).sleb(dLine);
    dLine = 0;
  }
  const special = dLine - LINE_BASE + LINE_RANGE * dAddr + OPCODE_BASE;
  if (special <= 255) {
    w.u8(special);
    return;
  }
  w.u8(DW_LNS_advance_pc).uleb(dAddr);
  w.u8(dLine - LINE_BASE + OPCODE_BASE);
}

function program(w: ByteWriter, u: LineUnit, files: string[], base: number): void {
  const address = new ByteWriter().u64(base + (u.rows[0]?.address ?? 0)).toBytes();
  extended(w, DW_LNE_set_address, [...address]);
  let file = 1;
  let line = 1;
  let addr = u.rows[0]?.address ?? 0;
  for (const r of u.rows) {
    const f = files.indexOf(r.file) + 1;
    if (f !== file) w.u8(DW_LNS_set_file).uleb((file = f));
    step(w, r.line - line, r.address - addr);
    line = r.line;
    addr = r.address;
  }
  if (u.end > addr) w.u8(DW_LNS_advance_pc).uleb(u.end - addr);
  extended(w, DW_LNE_end_sequence, []);
}

/** Appends one unit's line program to `w`; returns its offset (DW_AT_stmt_list). */
export function writeLineProgram(w: ByteWriter, u: LineUnit, base: number): number {
  const at = w.length;
  const files = unitFiles(u);
  const end = w.lengthField();
  header(w, files);
  program(w, u, files, base);
  end();
  return at;
}
