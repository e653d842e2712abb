// The blob pipeline: gather the unit, assemble it twice at different bases (any byte
// that moves is an absolute address, which a self-relocating blob must not have),
// recover the layout, stamp the build id, and render bin, elf, listing and manifest.
import { createHash } from 'node:crypto';
import { GenError } from '../errors.ts';
import { packagePath } from '../paths.ts';
import { assemble, preloadKeystone } from '../toolchain/assembler.ts';
import { preloadCapstone } from '../toolchain/disassembler.ts';
import type { Target } from '../targets/target.ts';
import { toolVersions } from '../toolchain/versions.ts';
import { VERSION } from '../version.ts';
import type { ConsoleChoice } from '../loader/console.ts';
import { consoleEquates } from '../loader/layout.ts';
import { blobUnit, compiledUnit, stubLines, type CompiledUnit, type UnitLine } from './source.ts';
import { headerSource } from './header.ts';
import { assemblyFor } from '../compiler/assembly.ts';
import { liveProgram, namedIn } from '../compiler/reach.ts';
import { loadPrecompiled, type FrontEnd } from '../compiler/precompiled.ts';
import { layout, lineAt, type Layout } from './layout.ts';
import { parseBlobHeader, BUILD_ID_OFFSET, BUILD_ID_SIZE, type BlobHeader } from './header.ts';
import { writeElf } from './elf.ts';
import { writeDwarf } from './dwarf.ts';
import { writeListing } from './listing.ts';
import { blobFromLayout } from '../audit/load.ts';
import { checkStacks } from '../audit/report.ts';
import type { AuditBlob } from '../audit/model.ts';

/** Second assembly base for the position-independence check; any page-aligned value. */
const PROBE_BASE = 0x7654_3000n;

export interface BlobArtifacts {
  bin: Uint8Array;
  elf: Uint8Array;
  listing: string;
  manifest: string;
  header: BlobHeader;
  /** What `gen-purgatory audit` reads: every instruction with its source line. */
  audit: AuditBlob;
}

/** stackCheck false: `audit` reports an overflow instead of failing (default true). */
export interface BuildOptions {
  stackCheck?: boolean;
}

function checkPositionIndependent(a: Uint8Array, b: Uint8Array, lay: Layout): void {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const line = lineAt(lay, i);
    const at = line ? `${line.file}:${line.line}: ` : '';
    throw new GenError(`${at}absolute address at blob offset 0x${i.toString(16)} (${line?.text.trim() ?? '?'}): the blob must be position-independent`);
  }
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

function stampBuildId(bin: Uint8Array): void {
  bin.fill(0, BUILD_ID_OFFSET, BUILD_ID_OFFSET + BUILD_ID_SIZE);
  bin.set(createHash('sha256').update(bin).digest(), BUILD_ID_OFFSET);
}

/**
 * Keystone does not always refuse a pc-relative reference out of reach (an arm64 `adr`
 * across a 1 MiB zeroed() buffer assembles, wrongly): the whole span is checked instead.
 */
function checkReach(lay: Layout, target: Target): void {
  const end = lay.symbols.find((s) => s.name === '__mem_end')?.offset;
  if (end === undefined || end < target.pcReach) return;
  const sorted = [...lay.symbols].sort((a, b) => a.offset - b.offset);
  const sizes = sorted.map((s, i) => ({ s, size: (sorted.slice(i + 1).find((n) => n.offset > s.offset)?.offset ?? end) - s.offset }));
  const big = sizes.reduce((a, b) => (b.size > a.size ? b : a));
  throw new GenError(`the blob's code and data span 0x${end.toString(16)} bytes, beyond the ${target.name} back end's pc-relative reach of 0x${target.pcReach.toString(16)}; the largest object is ${big.s.name} (0x${big.size.toString(16)} bytes)`);
}

/** Assembles a unit, recovers its layout and proves it position-independent. */
export async function assembleUnit(unit: UnitLine[], target: Target): Promise<{ bin: Uint8Array; lay: Layout }> {
  const bin = await assemble(unit, target.asm, 0n);
  const moved = await assemble(unit, target.asm, PROBE_BASE);
  const lay = await layout(unit, bin, target.disasm, 0n);
  checkReach(lay, target);
  checkPositionIndependent(bin, moved, lay);
  return { bin, lay };
}

/** The TypeScript half of the blob, compiled for the target. */
export const TEMPLATES_MAIN: string = packagePath('templates', 'main.ts');

/** The front end itself (ts-morph, loaded only now): its result and the files it read. */
export async function runFrontEnd(entry: string): Promise<{ front: FrontEnd; read: string[] }> {
  const { check } = await import('../compiler/driver.ts');
  const { exportedSymbols } = await import('../compiler/frontend/exports.ts');
  const c = check(entry);
  return { front: { program: c.program, exported: exportedSymbols(c) }, read: [...c.texts.keys()] };
}

/** The front end's result for `entry`: for templates/main.ts, the build's copy while current. */
export async function frontEnd(entry: string = TEMPLATES_MAIN): Promise<FrontEnd> {
  return (entry === TEMPLATES_MAIN ? loadPrecompiled() : undefined) ?? (await runFrontEnd(entry)).front;
}

/**
 * Only what the entry module exports and the hand-written assembly names is compiled in,
 * with everything it reaches: functions that only the host tests call cost no bytes.
 */
export function compiledTemplates(target: Target, front: FrontEnd): CompiledUnit {
  const asmText = [...headerSource(), ...stubLines(target, [...target.codeStubs, ...target.dataStubs, ...target.bssStubs])].map((l) => l.text).join('\n');
  const roots = [...front.exported, ...namedIn(front.program, asmText)];
  const program = liveProgram(front.program, roots);
  const { code, data, bss } = assemblyFor({ program }, target);
  return { code: compiledUnit(code), data: compiledUnit(data), bss: compiledUnit(bss), functions: program.funcs.map((f) => f.name) };
}

/** `entry`: the TypeScript half's root module (tests build blobs from others). */
export async function buildBlob(target: Target, console: ConsoleChoice, consoleSpec: string, entry: string = TEMPLATES_MAIN, opts: BuildOptions = {}): Promise<BlobArtifacts> {
  // Their WebAssembly compiles on other threads while this one runs the compiler.
  preloadKeystone();
  preloadCapstone();
  const compiled = compiledTemplates(target, await frontEnd(entry));
  const unit = blobUnit(target, consoleEquates(console), compiled);
  const assembled = await assembleUnit(unit, target);
  const lay = assembled.lay;
  // Zero-filled data after __file_end takes memory, not file bytes: cut it off.
  const fileEnd = lay.symbols.find((s) => s.name === '__file_end')?.offset ?? assembled.bin.length;
  const bin = assembled.bin.slice(0, fileEnd);
  stampBuildId(bin);
  const header = parseBlobHeader(bin, `<${target.name} blob>`);
  // A blob whose stack could overflow, or whose stack cannot be bounded, is not written.
  const audit = blobFromLayout(target.name, lay, bin, header);
  if (opts.stackCheck !== false) checkStacks(audit, target.audit);
  const debug = writeDwarf({
    arch: target.name, lay, functions: compiled.functions ?? [], entries: [header.entryOffset, header.wayinOffset],
    producer: `gen-purgatory ${VERSION}`, base: 0,
  });
  const elf = writeElf({ machine: target.elfMachine, blob: bin, memSize: header.memSize, entry: header.entryOffset, symbols: lay.symbols, debug });
  const title = `gen-purgatory ${VERSION} ${target.name} blob, build id ${header.buildId}, console ${consoleSpec}`;
  const listing = writeListing(title, lay, bin);
  const manifest = JSON.stringify({
    generator: `gen-purgatory ${VERSION}`,
    arch: target.name,
    console: consoleSpec,
    header,
    symbols: Object.fromEntries([...lay.symbols].sort((a, b) => a.offset - b.offset).map((s) => [s.name, s.offset])),
    files: {
      'purgatory.bin': { size: bin.length, sha256: sha256(bin) },
      'purgatory.elf': { size: elf.length, sha256: sha256(elf) },
      'purgatory.lst': { size: Buffer.byteLength(listing), sha256: sha256(listing) },
    },
    tools: toolVersions(),
  }, null, 2) + '\n';
  return { bin, elf, listing, manifest, header, audit };
}
