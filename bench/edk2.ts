// The EDK2 baseline: the same QEMU machine as `gen-purgatory qemu` and the direct boot,
// with Debian's UEFI firmware (qemu-efi-aarch64, ovmf; scripts/setup-bench.sh installs
// them) loading the kernel given by -kernel, so the kernel's EFI stub runs on real UEFI.
import { existsSync } from 'node:fs';
import { machineArgs as arm64Args } from '../generator/qemu/arm64.ts';
import { machineArgs as x86Args } from '../generator/qemu/x86_64.ts';
import type { QemuCommandLine } from '../generator/qemu/machine.ts';
import { watchLines } from './lines.ts';

/**
 * Firmware images as the Debian 12 packages ship them (dpkg -L): both are the 2 MiB
 * combined code+variables builds that QEMU's -bios accepts, so no pflash is needed.
 */
export const FIRMWARE: Record<string, { file: string; pkg: string }> = {
  arm64: { file: '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd', pkg: 'qemu-efi-aarch64' },
  x86_64: { file: '/usr/share/ovmf/OVMF.fd', pkg: 'ovmf' },
};

const MACHINE_ARGS: Record<string, (memoryBytes: number) => QemuCommandLine> = {
  arm64: (m) => ({ binary: 'qemu-system-aarch64', args: arm64Args({ memoryBytes: m, el2: false }) }),
  x86_64: (m) => ({ binary: 'qemu-system-x86_64', args: x86Args(m) }),
};

/** `-bios <EDK2> -kernel … -initrd … -append …` on the machine the other runs use. */
export function edk2Boot(arch: string, kernel: string, initrd: string, append: string, memoryBytes: number): QemuCommandLine {
  const fw = FIRMWARE[arch];
  if (!existsSync(fw.file)) throw new Error(`${fw.file} missing: run scripts/setup-bench.sh (installs ${fw.pkg})`);
  const m = MACHINE_ARGS[arch](memoryBytes);
  return { binary: m.binary, args: [...m.args, '-bios', fw.file, '-kernel', kernel, '-initrd', initrd, '-append', append] };
}

export interface Edk2Times {
  /** The EFI stub's first line ('EFI stub: …'), printed through EDK2's console. */
  stubMs?: number;
  /** The kernel's own first console line. */
  kernelMs: number;
}

/** One EDK2 boot, timed to the EFI stub's first line and to the kernel's first line. */
export async function timeEdk2(cmd: QemuCommandLine, kernelFirstLine: RegExp): Promise<Edk2Times> {
  let stubMs: number | undefined;
  let kernelMs: number | undefined;
  await watchLines(cmd, (line, ms) => {
    if (stubMs === undefined && /^EFI stub: /.test(line)) stubMs = ms;
    if (!kernelFirstLine.test(line)) return false;
    kernelMs = ms;
    return true;
  });
  if (kernelMs === undefined) throw new Error(`EDK2 boot: no line matching ${kernelFirstLine}`);
  return { stubMs, kernelMs };
}
