// Builds the audit's record of a blob two ways: from the layout of a blob just built,
// or from an output directory (manifest.json, purgatory.lst, purgatory.bin, as
// `gen-purgatory --arch A -o DIR` writes them, possibly by another version). A damaged
// or inconsistent directory is a GenError naming the file, never a stack trace.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenError } from '../errors.ts';
import type { Layout } from '../blob/layout.ts';
import type { BlobHeader } from '../blob/header.ts';
import { openDecoder, type DisasmMode } from '../toolchain/disassembler.ts';
import type { AuditBlob, AuditData, AuditInsn } from './model.ts';

/** `rep stosb` is one mnemonic to the audit; capstone prints the prefix as a word. */
export function splitInsn(text: string): { mnemonic: string; operands: string } {
  const m = /^((?:rep|repe|repne|lock) )?(\S+)\s*(.*)$/.exec(text.trim());
  if (!m) return { mnemonic: text.trim(), operands: '' };
  return { mnemonic: `${m[1] ?? ''}${m[2]}`, operands: m[3] };
}

/** The record of a blob just built: its layout carries every source line. */
export function blobFromLayout(arch: string, lay: Layout, bin: Uint8Array, header: BlobHeader): AuditBlob {
  const insns: AuditInsn[] = [];
  const data: AuditData[] = [];
  for (const p of lay.placed) {
    if (p.insn !== undefined) {
      insns.push({ offset: p.offset, size: p.size, ...splitInsn(p.insn), file: p.line.file, line: p.line.line, bytes: bin.subarray(p.offset, p.offset + p.size) });
    } else if (p.size > 0) data.push({ offset: p.offset, text: p.line.text.trim() });
  }
  const symbols = new Map(lay.symbols.map((s) => [s.name, s.offset]));
  return { arch, fileSize: header.fileSize, memSize: header.memSize, entryOffset: header.entryOffset, wayinOffset: header.wayinOffset, symbols, insns, data };
}

function readIn(dir: string, name: string): Buffer {
  const path = join(dir, name);
  if (!existsSync(path)) throw new GenError(`${path}: missing (expected an output directory of gen-purgatory --arch A -o DIR)`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new GenError(`${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

interface Manifest {
  arch: string;
  header: { fileSize: number; memSize: number; entryOffset: number; wayinOffset: number };
  symbols: Record<string, number>;
  files: Record<string, { size: number; sha256: string }>;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseManifest(path: string, text: string): Manifest {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw new GenError(`${path}: not JSON`);
  }
  const m = j as Partial<Manifest> | null;
  const h = m?.header;
  if (typeof m?.arch !== 'string') throw new GenError(`${path}: field arch: missing`);
  if (!h || ![h.fileSize, h.memSize, h.entryOffset, h.wayinOffset].every(isNum)) throw new GenError(`${path}: field header: missing or not numbers`);
  if (typeof m.symbols !== 'object' || m.symbols === null || !Object.values(m.symbols).every(isNum)) throw new GenError(`${path}: field symbols: missing or not numbers`);
  if (typeof m.files !== 'object' || m.files === null) throw new GenError(`${path}: field files: missing`);
  return m as Manifest;
}

/** One listing row: offset, bytes, and on an entry's first row its text and source. */
interface Row { offset: number; bytes: number[]; what: string; file: string; line: number }

// Bytes are single-space separated, then at least two spaces (the column is padded).
const ROW = /^([0-9a-f]{8}) {2}([0-9a-f]{2}(?: [0-9a-f]{2})*)(?: {2,}(.*))?$/;
const WHERE = /^(.*?)\s+(\S+):(\d+)(?: {2}\/\/ .*)?$/;

function parseRow(path: string, n: number, text: string): Row | undefined {
  const m = ROW.exec(text);
  if (!m) return undefined;
  const bytes = m[2].split(' ').map((b) => parseInt(b, 16));
  const rest = m[3] ?? '';
  if (!rest.trim()) return { offset: parseInt(m[1], 16), bytes, what: '', file: '', line: 0 };
  const w = WHERE.exec(rest.trim());
  if (!w) throw new GenError(`${path}:${n}: a listing row without a source position`);
  return { offset: parseInt(m[1], 16), bytes, what: w[1].trim(), file: w[2], line: Number(w[3]) };
}

/** The rows of purgatory.lst that start an instruction or a data line. */
function parseListing(path: string, text: string): Row[] {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('gen-purgatory ')) throw new GenError(`${path}: not a gen-purgatory listing (first line)`);
  const rows: Row[] = [];
  lines.forEach((l, i) => {
    const r = parseRow(path, i + 1, l);
    if (r?.what) rows.push(r);
  });
  if (rows.length === 0) throw new GenError(`${path}: no instructions`);
  return rows;
}

function checkHashes(dir: string, m: Manifest, files: Record<string, Buffer>): void {
  for (const [name, data] of Object.entries(files)) {
    const want = m.files[name]?.sha256;
    if (typeof want !== 'string') throw new GenError(`${join(dir, 'manifest.json')}: field files.${name}: missing`);
    if (createHash('sha256').update(data).digest('hex') !== want) {
      throw new GenError(`${join(dir, name)}: sha256 differs from manifest.json: the directory is not one generation's output`);
    }
  }
}

async function decodeRows(path: string, rows: Row[], bin: Uint8Array, mode: DisasmMode): Promise<AuditInsn[]> {
  const decoder = await openDecoder(mode);
  try {
    return rows.filter((r) => !r.what.startsWith('.')).map((r): AuditInsn => {
      const i = r.offset + r.bytes.length <= bin.length ? decoder.one(bin, 0n, r.offset) : undefined;
      if (!i || i.size !== r.bytes.length) throw new GenError(`${path}: instruction at 0x${r.offset.toString(16)} does not match purgatory.bin`);
      return { offset: r.offset, size: i.size, ...splitInsn(i.text), file: r.file, line: r.line, bytes: i.bytes };
    });
  } finally {
    decoder.close();
  }
}

/** The record of an output directory; `mode` decodes for the manifest's arch. */
export async function blobFromDir(dir: string, modeFor: (arch: string) => DisasmMode): Promise<AuditBlob> {
  const manifestPath = join(dir, 'manifest.json');
  const m = parseManifest(manifestPath, readIn(dir, 'manifest.json').toString('utf8'));
  const bin = readIn(dir, 'purgatory.bin');
  const lst = readIn(dir, 'purgatory.lst');
  checkHashes(dir, m, { 'purgatory.bin': bin, 'purgatory.lst': lst, 'purgatory.elf': readIn(dir, 'purgatory.elf') });
  if (bin.length !== m.header.fileSize) throw new GenError(`${join(dir, 'purgatory.bin')}: ${bin.length} bytes, manifest.json says ${m.header.fileSize}`);
  const lstPath = join(dir, 'purgatory.lst');
  const rows = parseListing(lstPath, lst.toString('utf8'));
  const insns = await decodeRows(lstPath, rows, new Uint8Array(bin), modeFor(m.arch));
  const data = rows.filter((r) => r.what.startsWith('.')).map((r): AuditData => ({ offset: r.offset, text: r.what }));
  return {
    arch: m.arch, fileSize: m.header.fileSize, memSize: m.header.memSize, entryOffset: m.header.entryOffset, wayinOffset: m.header.wayinOffset,
    symbols: new Map(Object.entries(m.symbols)), insns, data,
  };
}
