// .debug_abbrev and .debug_info (DWARF 4): one compile unit per contiguous run of code
// from one stub file or from templates/, each with a DW_TAG_subprogram per function.
// That is what gdb needs to name a pc's function and print "at file:line".
import { ByteWriter } from './dwarf-encode.ts';

export interface DebugFunction {
  name: string;
  low: number;
  high: number;
  /** 1-based index into the unit's line-program file table. */
  declFile: number;
  declLine: number;
}

export interface DebugUnit {
  name: string;
  /** DW_LANG_* or undefined: there is no code for TypeScript. */
  language?: number;
  low: number;
  high: number;
  /** Offset of the unit's line program in .debug_line. */
  stmtList: number;
  functions: DebugFunction[];
}

export const DW_LANG_Mips_Assembler = 0x8001;

// Tags, attributes and forms: DWARF 4, 7.5.3 to 7.5.5.
const DW_TAG_compile_unit = 0x11;
const DW_TAG_subprogram = 0x2e;
const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_language = 0x13;
const DW_AT_comp_dir = 0x1b;
const DW_AT_producer = 0x25;
const DW_AT_decl_file = 0x3a;
const DW_AT_decl_line = 0x3b;
const DW_AT_external = 0x3f;
const DW_FORM_addr = 0x01;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_string = 0x08;
const DW_FORM_udata = 0x0f;
const DW_FORM_sec_offset = 0x17;
const DW_FORM_flag_present = 0x19;

const ABBREV_UNIT = 1;
const ABBREV_UNIT_LANG = 2;
const ABBREV_FUNC = 3;

const UNIT_ATTRS: [number, number][] = [
  [DW_AT_producer, DW_FORM_string], [DW_AT_name, DW_FORM_string], [DW_AT_comp_dir, DW_FORM_string],
  [DW_AT_stmt_list, DW_FORM_sec_offset], [DW_AT_low_pc, DW_FORM_addr], [DW_AT_high_pc, DW_FORM_data4],
];
const FUNC_ATTRS: [number, number][] = [
  [DW_AT_name, DW_FORM_string], [DW_AT_decl_file, DW_FORM_udata], [DW_AT_decl_line, DW_FORM_udata],
  [DW_AT_low_pc, DW_FORM_addr], [DW_AT_high_pc, DW_FORM_data4], [DW_AT_external, DW_FORM_flag_present],
];

function abbrev(w: ByteWriter, code: number, tag: number, children: boolean, attrs: [number, number][]): void {
  w.uleb(code).uleb(tag).u8(children ? 1 : 0);
  for (const [a, f] of attrs) w.uleb(a).uleb(f);
  w.u8(0).u8(0);
}

export function writeAbbrevs(): Uint8Array {
  const w = new ByteWriter();
  abbrev(w, ABBREV_UNIT, DW_TAG_compile_unit, true, UNIT_ATTRS);
  abbrev(w, ABBREV_UNIT_LANG, DW_TAG_compile_unit, true, [...UNIT_ATTRS, [DW_AT_language, DW_FORM_data2]]);
  abbrev(w, ABBREV_FUNC, DW_TAG_subprogram, false, FUNC_ATTRS);
  return w.u8(0).toBytes();
}

function unitDies(w: ByteWriter, u: DebugUnit, producer: string, base: number): void {
  w.uleb(u.language === undefined ? ABBREV_UNIT : ABBREV_UNIT_LANG);
  // comp_dir "." keeps host paths out: gdb resolves the names from where it runs
  w.cstring(producer).cstring(u.name).cstring('.').u32(u.stmtList).u64(base + u.low).u32(u.high - u.low);
  if (u.language !== undefined) w.u16(u.language);
  for (const f of u.functions) {
    w.uleb(ABBREV_FUNC).cstring(f.name).uleb(f.declFile).uleb(f.declLine);
    w.u64(base + f.low).u32(f.high - f.low);
  }
  w.u8(0); // end of the unit's children
}

/** The compile units, each with its header (version 4, 8-byte addresses, abbrevs at 0). */
export function writeInfo(units: DebugUnit[], producer: string, base: number): Uint8Array {
  const w = new ByteWriter();
  for (const u of units) {
    const end = w.lengthField();
    w.u16(4).u32(0).u8(8);
    unitDies(w, u, producer, base);
    end();
  }
  return w.toBytes();
}
