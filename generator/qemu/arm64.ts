// QEMU `virt` as kexec leaves it: segments already in RAM (QEMU's generic loader puts
// them there), the CPU starting at the blob's entry with the MMU off, at EL1, or at EL2
// with virtualization=on. The machine's DTB comes from QEMU itself (dumpdtb).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GenError } from '../errors.ts';
import { parseFdt, memoryRegions, psciConduit, stdoutConsole } from '../formats/fdt.ts';
import type { Plan } from '../loader/plan.ts';
import type { MachineFacts, MachineOptions, QemuCommandLine, QemuMachine } from './machine.ts';

const BINARY = 'qemu-system-aarch64';

/** QEMU puts its own DTB copy at the start of RAM when no kernel is given; keep clear. */
const RAM_BASE = 0x4000_0000n;
const QEMU_DTB_ROOM = 0x20_0000n;

export function machineArgs(o: Pick<MachineOptions, 'memoryBytes' | 'el2'>): string[] {
  const machine = o.el2 ? 'virt,virtualization=on' : 'virt';
  return ['-M', machine, '-cpu', 'cortex-a57', '-m', `${Math.floor(o.memoryBytes / 0x100000)}M`,
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot'];
}

async function dumpDtb(o: MachineOptions): Promise<Uint8Array> {
  const file = join(o.workDir, 'machine.dtb');
  const args = machineArgs(o);
  args[1] += `,dumpdtb=${file}`;
  try {
    await promisify(execFile)(BINARY, args, { timeout: 30_000 });
  } catch (err) {
    throw new GenError(`qemu: ${BINARY} could not dump the machine's DTB: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, 1);
  }
  return readFileSync(file);
}

export const machine: QemuMachine = {
  poweroffStatuses: [0],
  failureStatuses: {},
  async facts(o: MachineOptions): Promise<MachineFacts> {
    const dtb = await dumpDtb(o);
    const fdt = parseFdt(dtb, 'machine.dtb');
    return {
      regions: memoryRegions(fdt), dtb, psci: psciConduit(fdt), console: stdoutConsole(fdt),
      avoid: [{ addr: RAM_BASE, size: QEMU_DTB_ROOM }],
    };
  },
  async commandLine(plan: Plan, files: Map<string, string>, o: MachineOptions): Promise<QemuCommandLine> {
    const loaders = plan.segments.flatMap((s) => ['-device', `loader,file=${files.get(s.name)},addr=0x${s.addr.toString(16)},force-raw=on`]);
    const start = ['-device', `loader,addr=0x${plan.entry.toString(16)},cpu-num=0`];
    return { binary: BINARY, args: [...machineArgs(o), ...loaders, ...start] };
  },
  directBoot(kernel: string, initrd: string, append: string, memoryBytes: number): QemuCommandLine {
    return { binary: BINARY, args: [...machineArgs({ memoryBytes, el2: false }), '-kernel', kernel, '-initrd', initrd, '-append', append] };
  },
};
