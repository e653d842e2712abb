// Fixtures for the q35 shim tests: the test payload (payload.s, assembled by keystone),
// a data segment with a known pattern, a bare handoff block, and a QEMU runner with a
// hard timeout.
import { spawnQemu, type QemuRun } from '../../generator/qemu/run.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, type SourceLine } from '../../generator/toolchain/assembler.ts';
import { asmFile } from '../../generator/blob/source.ts';
import { COM1_SOURCE, type ShimSegment } from '../../generator/qemu/x86_64.ts';

export const PAYLOAD_EXIT = 0x10;
/** QEMU's status for the payload's isa-debug-exit write. */
export const PAYLOAD_STATUS = (PAYLOAD_EXIT << 1) | 1;

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;

const dirs: string[] = [];

/** A fresh scratch directory, removed by removeWorkDirs. */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-x86-'));
  dirs.push(dir);
  return dir;
}

export function removeWorkDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface PayloadParams {
  addr: bigint;
  handoff: bigint;
  data: { addr: bigint; fileSize: number; size: bigint };
  /** Segments the payload checks are inside usable handoff regions. */
  covered: { addr: bigint; size: bigint }[];
}

/** payload.s with its parameters, as one unit. */
export function payloadUnit(p: PayloadParams): SourceLine[] {
  const equates: [string, bigint][] = [
    ['HANDOFF', p.handoff], ['DATA_ADDR', p.data.addr], ['DATA_FILE_SIZE', BigInt(p.data.fileSize)],
    ['DATA_SIZE', p.data.size], ['PAYLOAD_EXIT', BigInt(PAYLOAD_EXIT)], ['COM1', 0x3f8n],
  ];
  return [
    ...equates.map(([n, v], i) => ({ file: '<equates>', line: i + 1, text: `        .equ    ${n}, ${hex(v)}` })),
    ...asmFile(new URL('./payload.s', import.meta.url).pathname, 'test/qemu-x86/payload.s'),
    ...asmFile(COM1_SOURCE, 'stubs-asm/shim/com1.s'),
    { file: '<segs>', line: 1, text: '        .balign 0x8, 0x0' },
    { file: '<segs>', line: 2, text: 'segs:' },
    ...p.covered.map((s, i) => ({ file: '<segs>', line: i + 3, text: `        .quad   ${hex(s.addr)}, ${hex(s.size)}` })),
    { file: '<segs>', line: p.covered.length + 3, text: 'segs_end:' },
  ];
}

export async function buildPayload(p: PayloadParams): Promise<Uint8Array> {
  return assemble(payloadUnit(p), { arch: 'X86', mode: '64', syntax: 'ATT' }, p.addr);
}

/** Word i = i ^ 0xa5a5a5a5: what the payload expects in the data segment. */
export function dataPattern(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const dv = new DataView(out.buffer);
  for (let i = 0; i + 4 <= bytes; i += 4) dv.setUint32(i, ((i / 4) ^ 0xa5a5a5a5) >>> 0, true);
  return out;
}

/**
 * A handoff block with just the fields the shim uses: region_count (a poison value the
 * shim must overwrite), region_max and regions_offset.
 */
export function bareHandoff(regionMax: number): Uint8Array {
  const regionsOffset = 0xd0;
  const out = new Uint8Array(regionsOffset + 0x18 * regionMax);
  const dv = new DataView(out.buffer);
  dv.setUint32(0xb0, 0xdeadbeef, true);
  dv.setUint32(0xb4, regionMax, true);
  dv.setBigUint64(0xb8, BigInt(regionsOffset), true);
  return out;
}

/** Writes `bytes` into dir/name and returns a segment for it. */
export function segment(dir: string, name: string, addr: bigint, bytes: Uint8Array, size?: bigint): ShimSegment {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return { addr, size: size ?? BigInt(bytes.length), file };
}

export type QemuResult = QemuRun;

/** Runs QEMU to its end, or kills it after `timeoutMs`. */
export function runQemu(cmd: { binary: string; args: string[] }, timeoutMs = 30_000): Promise<QemuResult> {
  return spawnQemu(cmd, { timeoutMs });
}

/** The console's lines, without carriage returns or empty lines. */
export function lines(output: string): string[] {
  return output.split(/\r?\n/).map((l) => l.replace(/\r/g, '')).filter((l) => l.length > 0);
}
