// QEMU command lines for booting a kernel *directly* (QEMU's own -kernel loader, no
// purgatory): the baseline the tests and benchmarks compare the blob's path against,
// built from the same machine description as `gen-purgatory qemu`.
import type { ArchName } from '../targets/target.ts';
import type { QemuCommandLine } from './machine.ts';
import { MACHINES } from './machines.ts';

export type QemuCommand = QemuCommandLine;

/** A clean guest `poweroff` exits QEMU with status 0; -no-reboot makes a panic end too. */
export function directBootArgs(arch: ArchName, kernel: string, initrd: string, append: string, memoryBytes = 1 << 30): QemuCommand {
  return MACHINES[arch].directBoot(kernel, initrd, append, memoryBytes);
}
