// QEMU `virt` as kexec leaves it: segments already in RAM (QEMU's generic loader puts
// them there), the CPU starting at the blob's entry with the MMU off, at EL1, or at EL2
// with virtualization=on. The machine's DTB comes from QEMU itself (dumpdtb).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GenError, UsageError } from '../errors.ts';
import { assemble, toLines } from '../toolchain/assembler.ts';
import { parseFdt, memoryRegions, psciConduit, stdoutConsole } from '../formats/fdt.ts';
import type { Plan } from '../loader/plan.ts';
import type { MachineFacts, MachineOptions, QemuCommandLine, QemuMachine } from './machine.ts';
import { startFailure } from './run.ts';

const BINARY = 'qemu-system-aarch64';

/** QEMU puts its own DTB copy at the start of RAM when no kernel is given; keep clear. */
const RAM_BASE = 0x4000_0000n;
const QEMU_DTB_ROOM = 0x20_0000n;

export function machineArgs(o: Pick<MachineOptions, 'memoryBytes' | 'el2' | 'vhe'>): string[] {
  const machine = o.el2 || o.vhe ? 'virt,virtualization=on' : 'virt';
  return ['-M', machine, '-cpu', o.vhe ? 'max' : 'cortex-a57', '-m', `${Math.floor(o.memoryBytes / 0x100000)}M`,
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot'];
}

async function dumpDtb(o: MachineOptions): Promise<Uint8Array> {
  const file = join(o.workDir, 'machine.dtb');
  const args = machineArgs(o);
  args[1] += `,dumpdtb=${file}`;
  try {
    await promisify(execFile)(BINARY, args, { timeout: 30_000 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new GenError(`qemu: ${startFailure(BINARY, err as Error)}`, 1);
    throw new GenError(`qemu: ${BINARY} could not dump the machine's DTB: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, 1);
  }
  return readFileSync(file);
}

/** The VHE shim's page: the last of the room kept for QEMU's DTB, which needs far less. */
const VHE_SHIM_ADDR = RAM_BASE + QEMU_DTB_ROOM - 0x1000n;

/**
 * A VHE host kernel kexecs at EL2 with HCR_EL2.E2H|TGE|RW still set; QEMU starts EL2
 * with them clear. Five instructions set them and jump to the blob.
 */
async function vheShim(entry: bigint, workDir: string): Promise<string[]> {
  const source = [
    'movz x0, #0x4, lsl #0x20', // E2H (bit 34)
    'movk x0, #0x8800, lsl #0x10', // RW (bit 31) | TGE (bit 27)
    'msr hcr_el2, x0',
    'isb',
    'ldr x1, entry',
    'br x1',
    'entry:',
    `.quad 0x${entry.toString(16)}`,
  ].join('\n');
  const bytes = await assemble(toLines('<vhe shim>', source), { arch: 'ARM64', mode: 'LITTLE_ENDIAN' }, VHE_SHIM_ADDR);
  const file = join(workDir, 'vhe-shim.bin');
  writeFileSync(file, bytes);
  return ['-device', `loader,file=${file},addr=0x${VHE_SHIM_ADDR.toString(16)},force-raw=on`];
}

export const machine: QemuMachine = {
  poweroffStatuses: [0],
  failureStatuses: {},
  async facts(o: MachineOptions): Promise<MachineFacts> {
    if (o.la57) throw new UsageError('qemu: --la57 is for x86_64 only');
    const dtb = await dumpDtb(o);
    const fdt = parseFdt(dtb, 'machine.dtb');
    return {
      regions: memoryRegions(fdt), dtb, psci: psciConduit(fdt), console: stdoutConsole(fdt),
      avoid: [{ addr: RAM_BASE, size: QEMU_DTB_ROOM }],
    };
  },
  async commandLine(plan: Plan, files: Map<string, string>, o: MachineOptions): Promise<QemuCommandLine> {
    const loaders = plan.segments.flatMap((s) => ['-device', `loader,file=${files.get(s.name)},addr=0x${s.addr.toString(16)},force-raw=on`]);
    const entry = o.vhe ? await vheShim(plan.entry, o.workDir) : [];
    const start = ['-device', `loader,addr=0x${(o.vhe ? VHE_SHIM_ADDR : plan.entry).toString(16)},cpu-num=0`];
    return { binary: BINARY, args: [...machineArgs(o), ...loaders, ...entry, ...start] };
  },
  directBoot(kernel: string, initrd: string, append: string, memoryBytes: number): QemuCommandLine {
    return { binary: BINARY, args: [...machineArgs({ memoryBytes, el2: false }), '-kernel', kernel, '-initrd', initrd, '-append', append] };
  },
};
