// `gen-purgatory inspect FILE [--json]`: what a kernel image is and what is inside it.
// The whole report is built before anything is printed, so an error leaves stdout empty.
import { parse } from '../args.ts';
import { FormatError, UsageError } from '../errors.ts';
import type { Command } from '../commands.ts';
import { readInput } from './inputs.ts';
import { identifyImage, type ImageInfo } from '../formats/image.ts';
import type { PeInfo, PeSection } from '../formats/pe.ts';
import type { Arm64Header } from '../formats/arm64-image.ts';
import type { ZbootHeader } from '../formats/zboot.ts';
import { LOADFLAGS, XLOADFLAGS, flagNames, protocol, type SetupHeader } from '../formats/bzimage.ts';
import type { UkiInfo } from '../formats/uki.ts';
import { findWrapRecord, parseWrapped, wrappedPayload, type WrappedInfo } from '../formats/wrap.ts';
import { formatConsole } from '../loader/console.ts';
import { describeCert } from '../formats/trust.ts';

const USAGE = `usage: gen-purgatory inspect FILE [--json]

Identifies a kernel image (arm64 Image, arm64 zboot, x86_64 bzImage, UKI or plain PE),
validates its headers and prints them. A wrapped image (gen-purgatory wrap) shows its
record, whether its payload check and trailer verify, then the payload as usual.
--json prints the same facts as JSON (64-bit values as hex strings). Exit code 2 if
the file is malformed.
`;

export const inspect: Command = {
  name: 'inspect',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 'inspect');
    if (positionals.length !== 1) throw new UsageError('inspect: expected exactly one FILE (try --help)');
    const file = positionals[0];
    const data = readInput(file, 'image');
    if (findWrapRecord(data) !== undefined) {
      process.stdout.write(wrapped(data, file, values.json === true));
      return 0;
    }
    const info = identifyImage(data, file);
    process.stdout.write(values.json === true ? toJson(info) : render(info));
    return 0;
  },
};

export function toJson(info: object): string {
  const hexBig = (_key: string, value: unknown): unknown =>
    typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
  return `${JSON.stringify(info, hexBig, 2)}\n`;
}

const h = (v: number | bigint): string => `0x${v.toString(16)}`;
const sized = (n: number): string => `${n} (${h(n)})`;

/** Aligned columns; every row is a list of cells. */
function table(rows: string[][], indent: string): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  const line = (row: string[]): string =>
    indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return rows.map(line).join('\n') + '\n';
}

function block(title: string, rows: string[][], indent: string): string {
  return `\n${indent}${title}\n${table(rows, `${indent}  `)}`;
}

/** The human-readable report. */
export function render(info: ImageInfo, indent: string = ''): string {
  let out = table([
    ['file', info.file], ['size', sized(info.size)], ['format', info.format], ['arch', info.arch],
  ], indent);
  out += block('PE header', peRows(info.pe), indent);
  out += `\n${indent}sections\n${sectionTable(info.pe.sections, `${indent}  `)}`;
  if (info.arm64) out += block('arm64 Image header', arm64Rows(info.arm64), indent);
  if (info.zboot) out += block('zboot header', zbootRows(info.zboot), indent);
  if (info.bzimage) out += block('x86 setup header', setupRows(info.bzimage), indent);
  if (info.uki) out += ukiReport(info.uki, indent);
  return out;
}

const DLL_FLAGS: Record<number, string> = {
  0x20: 'HIGH_ENTROPY_VA', 0x40: 'DYNAMIC_BASE', 0x80: 'FORCE_INTEGRITY', 0x100: 'NX_COMPAT',
  0x200: 'NO_ISOLATION', 0x400: 'NO_SEH', 0x800: 'NO_BIND', 0x1000: 'APPCONTAINER',
  0x2000: 'WDM_DRIVER', 0x4000: 'GUARD_CF', 0x8000: 'TERMINAL_SERVER_AWARE',
};

function peRows(pe: PeInfo): string[][] {
  const rows = [
    ['machine', `${h(pe.machine)} (${pe.machineName})`], ['kind', pe.kind],
    ['image base', h(pe.imageBase)], ['size of image', h(pe.sizeOfImage)],
    ['size of headers', h(pe.sizeOfHeaders)], ['section alignment', h(pe.sectionAlignment)],
    ['file alignment', h(pe.fileAlignment)], ['entry point', h(pe.addressOfEntryPoint)],
    ['subsystem', `${pe.subsystem} (${pe.subsystemName})`],
    ['dll characteristics', `${h(pe.dllCharacteristics)} (${flagNames(pe.dllCharacteristics, DLL_FLAGS)})`],
    ['checksum', h(pe.checkSum)], ['linker version', pe.linkerVersion],
    ['relocations', relocText(pe)],
    ['certificate table', pe.certificateTable ? `${h(pe.certificateTable.offset)} + ${h(pe.certificateTable.size)}` : 'none'],
  ];
  for (const d of pe.dataDirectories) {
    if (d.size !== 0) rows.push([`directory ${d.name}`, `${h(d.address)} + ${h(d.size)}`]);
  }
  return rows;
}

function relocText(pe: PeInfo): string {
  const r = pe.relocations;
  if (r === undefined) return 'none';
  const types = Object.entries(r.byType).map(([name, n]) => `${name} ${n}`).join(', ');
  return `${r.blocks} blocks, ${r.entries} entries${types ? ` (${types})` : ''}`;
}

function sectionFlags(c: number): string {
  const rwx = `${c & 0x40000000 ? 'r' : '-'}${c & 0x80000000 ? 'w' : '-'}${c & 0x20000000 ? 'x' : '-'}`;
  const kind = c & 0x20 ? ' code' : c & 0x40 ? ' data' : c & 0x80 ? ' bss' : '';
  return `${h(c >>> 0)} ${rwx}${kind}${c & 0x02000000 ? ' discardable' : ''}`;
}

function sectionTable(sections: PeSection[], indent: string): string {
  const rows = [['name', 'rva', 'vsize', 'raw offset', 'raw size', 'flags']];
  for (const s of sections) {
    rows.push([s.name, h(s.virtualAddress), h(s.virtualSize), h(s.rawOffset), h(s.rawSize), sectionFlags(s.characteristics)]);
  }
  return table(rows, indent);
}

function arm64Rows(a: Arm64Header): string[][] {
  return [
    ['code0 / code1', `${h(a.code0)} / ${h(a.code1)}`], ['text_offset', h(a.textOffset)],
    ['image_size', sized(a.imageSize)],
    ['flags', `${h(a.flags)} (${a.bigEndian ? 'big' : 'little'}-endian, page size ${a.pageSize === 0 ? 'unspecified' : `${a.pageSize / 1024}K`}, ${a.placeAnywhere ? 'base anywhere' : 'base near start of DRAM'})`],
    ['magic', h(a.magic)], ['PE offset', h(a.peOffset)],
  ];
}

function zbootRows(z: ZbootHeader): string[][] {
  return [
    ['image type', z.imageType], ['compression', z.compression],
    ['payload offset', h(z.payloadOffset)], ['payload size', sized(z.payloadSize)],
    ['LINUX_PE_MAGIC', h(z.linuxPeMagic)], ['PE offset', h(z.peOffset)],
  ];
}

function setupRows(s: SetupHeader): string[][] {
  return [
    ['boot protocol', `${protocol(s.version)} (${h(s.version)})`],
    ['setup_sects', `${s.setupSects} (setup ${h(s.setupSize)} bytes)`], ['syssize', `${h(s.sysSize)} bytes`],
    ['loadflags', `${h(s.loadflags)} (${flagNames(s.loadflags, LOADFLAGS)})`],
    ['xloadflags', `${h(s.xloadflags)} (${flagNames(s.xloadflags, XLOADFLAGS)})`],
    ['kernel_alignment', h(s.kernelAlignment)], ['relocatable', s.relocatable ? 'yes' : 'no'],
    ['min_alignment', `2^${s.minAlignment}`], ['pref_address', h(s.prefAddress)],
    ['init_size', sized(s.initSize)], ['cmdline_size', String(s.cmdlineSize)],
    ['initrd_addr_max', h(s.initrdAddrMax)], ['handover_offset', h(s.handoverOffset)],
    ['kernel_info_offset', s.kernelInfoOffset === undefined ? 'absent' : h(s.kernelInfoOffset)],
    ['payload', `${h(s.payloadOffset)} + ${h(s.payloadLength)}`],
  ];
}

/** UKI sections, text shown as text, then the full report of the .linux image. */
function ukiReport(u: UkiInfo, indent: string): string {
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(u.sections)) {
    if (s === undefined) continue;
    const where = `${h(s.virtualSize)} bytes at ${h(s.rawOffset)}`;
    const text = name === '.cmdline' ? u.cmdline : name === '.osrel' ? u.osrel : name === '.uname' ? u.uname : undefined;
    const what = name === '.linux' ? `${u.linux.format} (${u.linux.arch}), ${where}` : where;
    if (text === undefined) rows.push([name, what]);
    else textRows(name, text).forEach((row) => rows.push(row));
  }
  if (u.profiles > 0) rows.push(['.profile', `${u.profiles} profiles (only the base profile is shown)`]);
  return block('UKI sections', rows, indent) + `\n${indent}.linux\n` + render(u.linux, `${indent}  `);
}

/** A one-line text quoted exactly; a multi-line one (os-release) one row per line. */
function textRows(name: string, text: string): string[][] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length === 1) return [[name, JSON.stringify(text)]];
  return lines.map((line, i) => [i === 0 ? name : '', line]);
}

/** A wrapped image (docs/wrap.md): its record and stock header, then the payload as usual. */
function wrapped(data: Uint8Array, file: string, json: boolean): string {
  const w = parseWrapped(data, file);
  const payload = wrappedInner(data, w);
  const { file: _file, size, arch, trust, ...rest } = w;
  const wrap = { ...rest, trust: trust.map(describeCert) };
  if (json) {
    return toJson({ file, size, format: 'wrapped', arch, wrap, payload: typeof payload === 'string' ? { error: payload } : payload });
  }
  const as = w.format === 'arm64-image' ? 'arm64 Image' : 'x86 bzImage';
  let out = table([['file', file], ['size', sized(size)], ['format', `wrapped (as an ${as})`], ['arch', arch]], '');
  out += block('wrap record', wrapRows(w), '');
  if (w.arm64) out += block('arm64 Image header', arm64Rows(w.arm64), '');
  if (w.bzimage) out += block('x86 setup header', setupRows(w.bzimage), '');
  const inner = typeof payload === 'string' ? `  not identified: ${payload}\n` : render(payload, '  ');
  return `${out}\npayload\n${inner}`;
}

/** The payload identified; when its check failed, a damaged header is shown, not thrown. */
function wrappedInner(data: Uint8Array, w: WrappedInfo): ImageInfo | string {
  try {
    return identifyImage(wrappedPayload(data, w), `${w.file}:payload`);
  } catch (err) {
    if (w.checkOk || !(err instanceof FormatError)) throw err;
    return err.message;
  }
}

function wrapRows(w: WrappedInfo): string[][] {
  const r = w.record;
  const t = w.trailer;
  const trailer = w.trailerOk ? `at file offset ${h(t.offset)}: verified`
    : !t.present ? `missing: the file ends before ${h(t.offset + 16)} (truncated)`
      : !t.magicOk ? `at file offset ${h(t.offset)}: no GPWRAPND magic (truncated or damaged)`
        : `at file offset ${h(t.offset)}: names ${h(t.loadedSize ?? 0n)} bytes, the record ${h(r.loadedSize)}`;
  return [
    ['loaded part', `file offset ${h(w.loadedOffset)}, ${h(r.loadedSize)} bytes, memory ${h(w.memSize)}`],
    ['entry', `${h(w.entry)}: the blob's way-in entry`],
    ['version', String(r.version)],
    ['flags', `${h(r.flags)}${r.ukiCmdline ? " (UKI: its own .cmdline wins over the loader's)" : ''}`],
    ['blob', `${h(r.blobOffset)} + ${h(w.blob.fileSize)} bytes, memory ${h(w.blob.memSize)}, build id ${w.blob.buildId}`],
    ['payload', `${h(r.payloadOffset)} + ${h(r.payloadSize)} bytes, ${h(r.payloadPages)} pages`],
    ['payload check', w.checkOk ? `${h(r.check)}: verified` : `${h(r.check)}: MISMATCH, the payload hashes to ${h(w.computedCheck)}`],
    ['trailer', trailer],
    ['console', r.console ? formatConsole(r.console) : "none given: the DT's stdout-path, console= or the blob's built-in one"],
    ...secureBootRows(w),
  ];
}

/** A --trust wrapper's certificates and the signature a signer appended (docs/secure-boot.md). */
function secureBootRows(w: WrappedInfo): string[][] {
  if (!w.record.trusted) return [];
  const s = w.signature;
  const end = w.loadedOffset + w.record.loadedSize;
  const signature = s ? `${h(s.size)} bytes at file offset ${h(s.offset)}, after the loaded part (ends ${h(end)})`
    : w.size > end ? `none, but ${w.size - end} bytes follow the loaded part` : 'none (unsigned)';
  return [
    ...w.trust.map((der, i): string[] => [i === 0 ? 'trust list' : '', describeCert(der)]),
    ['signature', signature],
  ];
}
