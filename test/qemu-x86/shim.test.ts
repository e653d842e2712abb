// The q35 Multiboot shim: the model of SeaBIOS's e820, the builder's checks, the shim's
// bytes against GNU as, and QEMU boots into a payload that reports its entry state.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildX86Shim, q35MemoryModel, shimChecksum, x86QemuInvocation, x86ShimUnit,
  X86_SHIM_FAILURE_STATUS, type ShimSegment, type X86BootRequest,
} from '../../generator/qemu/x86_64.ts';
import {
  bareHandoff, buildPayload, dataPattern, lines, PAYLOAD_STATUS, payloadUnit, removeWorkDirs, runQemu, segment, workDir,
  type QemuResult,
} from './support.ts';

const MiB = 0x10_0000;
const PAYLOAD = 0x100_0000n;
const HANDOFF = 0x110_0000n;
const DATA_FILE = 0x10_0000;
const DATA_SIZE = 0x10_1000n; // one page past the file: the shim must zero it

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveQemu = hasTool('qemu-system-x86_64');
const haveBinutils = hasTool('as') && hasTool('ld');
afterAll(removeWorkDirs);

interface Boot { result: QemuResult; out: string[]; args: string[] }

/** Boots the payload with a data segment at `dataAddr`; extra segments go in too. */
async function bootPayload(memMiB: number, dataAddr: bigint, regionMax = 0x20, extra: ShimSegment[] = []): Promise<Boot> {
  const dir = workDir();
  const covered = [{ addr: PAYLOAD, size: 0x1_0000n }, { addr: HANDOFF, size: 0x1000n }, { addr: dataAddr, size: DATA_SIZE }];
  const payload = await buildPayload({ addr: PAYLOAD, handoff: HANDOFF, data: { addr: dataAddr, fileSize: DATA_FILE, size: DATA_SIZE }, covered });
  const segments = [
    segment(dir, 'payload.bin', PAYLOAD, payload, 0x1_0000n),
    segment(dir, 'handoff.bin', HANDOFF, bareHandoff(regionMax), 0x1000n),
    segment(dir, 'data.bin', dataAddr, dataPattern(DATA_FILE), DATA_SIZE),
    ...extra,
  ];
  const cmd = await x86QemuInvocation({ segments, entry: PAYLOAD, handoffAddr: HANDOFF, memoryBytes: memMiB * MiB, workDir: dir });
  const result = await runQemu(cmd, 30_000);
  return { result, out: lines(result.output), args: cmd.args };
}

/** The payload's region lines as numbers. */
function regions(out: string[]): { base: bigint; size: bigint; type: number }[] {
  return out.flatMap((l) => {
    const m = /^payload: region (0x[0-9a-f]+) \+(0x[0-9a-f]+) type (0x[0-9a-f]+)$/.exec(l);
    return m ? [{ base: BigInt(m[1]), size: BigInt(m[2]), type: Number(m[3]) }] : [];
  });
}

/** Every region of the model lies inside a usable region of the real map. */
function modelIsConservative(memMiB: number, real: { base: bigint; size: bigint; type: number }[]): boolean {
  return q35MemoryModel(memMiB * MiB).every((m) => real.some((r) =>
    r.type === 1 && r.base <= m.base && m.base + m.size <= r.base + r.size));
}

function expectEntryState(b: Boot): void {
  expect(b.result.timedOut).toBe(false);
  expect(b.out).toContain(`qemu-shim: entering 0x${PAYLOAD.toString(16)} handoff=0x${HANDOFF.toString(16)}`);
  expect(b.out).toContain('payload: gprs 0x0');
  expect(b.out).toContain('payload: cr0 0x80000031 cr4 0x20 efer 0x500 cs 0x10 ds 0x18 ss 0x18 rflags 0x2');
  expect(b.out).toContain('payload: data intact, tail zero');
  expect(b.out).toContain('payload: segments in usable regions');
  expect(b.out).toContain('payload: usable RAM identity-mapped');
  const rsp = b.out.find((l) => l.startsWith('payload: rsp '));
  const value = BigInt(rsp?.slice('payload: rsp '.length) ?? '0');
  expect(value > 0x10_0000n && value < 0x100_0000n).toBe(true); // the shim's own stack
  expect(b.result.status).toBe(PAYLOAD_STATUS);
}

describe('q35MemoryModel', () => {
  it('stops 20 MiB short of the top of low RAM and adds RAM above 4 GiB', () => {
    expect(q35MemoryModel(0x100 * MiB)).toEqual([{ base: 0x10_0000n, size: 0xeb0_0000n, type: 1 }]);
    expect(q35MemoryModel(0xc00 * MiB)).toEqual([
      { base: 0x10_0000n, size: 0x7eb0_0000n, type: 1 },
      { base: 0x1_0000_0000n, size: 0x4000_0000n, type: 1 },
    ]);
  });
  it('rejects sizes QEMU would round or that leave no room', () => {
    expect(() => q35MemoryModel(0x100 * MiB + 0x1000)).toThrow(/whole number of MiB/);
    expect(() => q35MemoryModel(0x20 * MiB)).toThrow(/at least 64 MiB/);
  });
});

describe('shimChecksum', () => {
  it('is rol5-add over u32 words, then over the tail bytes', () => {
    expect(shimChecksum(new Uint8Array([1, 0, 0, 0]))).toBe(1);
    expect(shimChecksum(new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 3]))).toBe((((1 << 5) + 2) << 5) + 3);
    expect(shimChecksum(new Uint8Array([0, 0, 0, 0x80, 0, 0, 0, 0]))).toBe(0x10);
  });
});

describe('x86 shim builder', () => {
  const dir = workDir();
  const handoff = segment(dir, 'handoff.bin', HANDOFF, bareHandoff(4), 0x1000n);
  const payload = segment(dir, 'payload.bin', PAYLOAD, new Uint8Array(0x100), 0x1000n);
  const req = (segments: ShimSegment[], over: Partial<X86BootRequest> = {}): X86BootRequest =>
    ({ segments, entry: PAYLOAD, handoffAddr: HANDOFF, memoryBytes: 0x100 * MiB, workDir: dir, ...over });

  it('rejects segments below 16 MiB, overlapping, or smaller than their file', async () => {
    const low = segment(dir, 'low.bin', 0x80_0000n, new Uint8Array(0x10));
    await expect(buildX86Shim(req([payload, handoff, low]))).rejects.toThrow(/below 0x1000000/);
    const over = segment(dir, 'over.bin', PAYLOAD + 0x800n, new Uint8Array(0x10));
    await expect(buildX86Shim(req([payload, handoff, over]))).rejects.toThrow(/overlap/);
    const big = { ...segment(dir, 'big.bin', 0x200_0000n, new Uint8Array(0x20)), size: 0x10n };
    await expect(buildX86Shim(req([payload, handoff, big]))).rejects.toThrow(/larger than the segment/);
  });
  it('rejects an entry or handoff block outside the loaded files', async () => {
    await expect(buildX86Shim(req([payload, handoff], { entry: 0x300_0000n }))).rejects.toThrow(/entry 0x3000000/);
    await expect(buildX86Shim(req([payload, handoff], { handoffAddr: PAYLOAD + 0x80n }))).rejects.toThrow(/handoff block/);
  });
  it('is a Multiboot a.out-kludge image loaded at 1 MiB', async () => {
    const bin = await buildX86Shim(req([payload, handoff]));
    const dv = new DataView(bin.buffer, bin.byteOffset);
    const [magic, flags, sum, headerAddr, loadAddr, loadEnd, bssEnd] = [0, 4, 8, 12, 16, 20, 24].map((o) => dv.getUint32(o, true));
    expect([magic, flags, (magic + flags + sum) >>> 0, headerAddr, loadAddr]).toEqual([0x1badb002, 0x10002, 0, 0x10_0000, 0x10_0000]);
    expect(loadEnd).toBe(0x10_0000 + bin.length);
    expect(bssEnd).toBe(loadEnd + (4 + 4) * 0x1000); // PML4, PDPT, 4 PDs, the LA57 PML5 page, stack
  });
  it.skipIf(!haveBinutils)('assembles to the same bytes as GNU as', async () => {
    const r = req([payload, handoff]);
    const src = join(dir, 'shim.s');
    writeFileSync(src, x86ShimUnit(r).map((l) => l.text).join('\n') + '\n');
    execFileSync('as', ['--64', '-o', join(dir, 'shim.o'), src]);
    execFileSync('ld', ['-m', 'elf_x86_64', '-Ttext=0x100000', '--oformat', 'binary', '-o', join(dir, 'gas.bin'), join(dir, 'shim.o')], { stdio: 'ignore' });
    expect(Buffer.from(await buildX86Shim(r)).equals(readFileSync(join(dir, 'gas.bin')))).toBe(true);
  });
  it.skipIf(!haveBinutils)('assembles the test payload to the same bytes as GNU as', async () => {
    const p = { addr: PAYLOAD, handoff: HANDOFF, data: { addr: 0x200_0000n, fileSize: DATA_FILE, size: DATA_SIZE }, covered: [{ addr: PAYLOAD, size: 0x10n }] };
    const src = join(dir, 'payload.s');
    writeFileSync(src, ['        .code64', ...payloadUnit(p).map((l) => l.text)].join('\n') + '\n');
    execFileSync('as', ['--64', '-o', join(dir, 'payload.o'), src]);
    execFileSync('ld', ['-m', 'elf_x86_64', '-Ttext=0x1000000', '--oformat', 'binary', '-o', join(dir, 'pgas.bin'), join(dir, 'payload.o')], { stdio: 'ignore' });
    expect(Buffer.from(await buildPayload(p)).equals(readFileSync(join(dir, 'pgas.bin')))).toBe(true);
  });
});

describe.skipIf(!haveQemu)('q35 boot through the shim', () => {
  it('enters the payload in kexec state with the real map in the handoff block (256 MiB)', async () => {
    const model = q35MemoryModel(0x100 * MiB)[0];
    const top = (model.base + model.size - DATA_SIZE) & ~0xfffn; // the model's last usable bytes survive SeaBIOS
    const b = await bootPayload(0x100, top);
    expectEntryState(b);
    expect(b.args.slice(0, 6)).toEqual(['-M', 'q35', '-m', '256M', '-nographic', '-no-reboot']);
    expect(b.args).toContain('isa-debug-exit,iobase=0xf4,iosize=0x04');
    expect(b.args.some((a) => a.match(/^loader,file=.*\/data\.bin,addr=0x([0-9a-f]+),force-raw=on$/)?.[1] === top.toString(16))).toBe(true);
    const real = regions(b.out);
    expect(b.out).toContain(`payload: regions 0x${real.length.toString(16)}`);
    expect(real).toContainEqual({ base: 0x10_0000n, size: 0xfedf000n, type: 1 });
    expect(modelIsConservative(0x100, real)).toBe(true);
  });

  it('maps and checks RAM above 4 GiB (3 GiB machine, segment at 4 GiB)', async () => {
    const b = await bootPayload(0xc00, 0x1_0000_0000n);
    expectEntryState(b);
    const real = regions(b.out);
    expect(real).toContainEqual({ base: 0x1_0000_0000n, size: 0x4000_0000n, type: 1 });
    expect(modelIsConservative(0xc00, real)).toBe(true);
  });

  it('writes no more regions than region_max', async () => {
    const b = await bootPayload(0x100, 0x200_0000n, 2);
    expect(b.out).toContain('payload: regions 0x2');
    expect(regions(b.out)).toHaveLength(2);
    expect(b.result.status).toBe(PAYLOAD_STATUS);
  });

  it('fails with one line and status 255 for a segment outside RAM', async () => {
    const b = await bootPayload(0x100, 0x1000_0000n);
    expect(b.out).toContain('qemu-shim: segment 0x10000000 +0x101000 is not in usable RAM');
    expect(b.out.some((l) => l.startsWith('payload:') || l.startsWith('qemu-shim: entering'))).toBe(false);
    expect(b.result.status).toBe(X86_SHIM_FAILURE_STATUS);
  });

  it('notices a segment SeaBIOS overwrote although the e820 map calls it usable', async () => {
    // SeaBIOS relocates its init code just below its 16 MiB high zone during POST.
    const b = await bootPayload(0x100, 0xef0_0000n);
    expect(b.out).toContain('qemu-shim: segment 0xef00000 +0x101000 was overwritten before the shim ran (checksum mismatch)');
    expect(b.result.status).toBe(X86_SHIM_FAILURE_STATUS);
  });

  it('reports a CPU exception in the blob before it has its own IDT', async () => {
    const dir = workDir();
    const segments = [
      segment(dir, 'ud2.bin', PAYLOAD, new Uint8Array([0x0f, 0x0b]), 0x1000n),
      segment(dir, 'handoff.bin', HANDOFF, bareHandoff(4), 0x1000n),
    ];
    const cmd = await x86QemuInvocation({ segments, entry: PAYLOAD, handoffAddr: HANDOFF, memoryBytes: 0x100 * MiB, workDir: dir });
    const r = await runQemu(cmd, 30_000);
    expect(lines(r.output)).toContain('qemu-shim: CPU exception before the blob loaded its own IDT; stack 0x1000000 0x10 0x2');
    expect(r.status).toBe(X86_SHIM_FAILURE_STATUS);
  });
});
