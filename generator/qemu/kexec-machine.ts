// The QEMU machine the real-kexec harness boots its first kernel on: arm64 `virt` or x86
// q35, the kernel given to QEMU with -kernel/-initrd/-append and started either by QEMU
// directly (arm64: DT boot; x86: SeaBIOS and the Linux boot protocol) or by Debian's
// EDK2 loading it from fw_cfg, as a server's firmware hands over.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { GenError, UsageError } from '../errors.ts';
import type { QemuCommandLine } from './machine.ts';
import type { KexecArch } from './kexec-root.ts';
import { secureBootArgs } from './kexec-secureboot.ts';

/** secure-boot: x86_64 OVMF with Secure Boot and the snakeoil key (kexec-secureboot.ts). */
export type FirstFirmware = 'direct' | 'uefi' | 'secure-boot';
/** arm64: where the first kernel runs: EL1, EL2 without VHE (nVHE), or EL2 with VHE. */
export type FirstEl = 'el1' | 'el2' | 'vhe';

export interface FirstBoot {
  arch: KexecArch;
  firmware: FirstFirmware;
  el: FirstEl;
  /** x86_64: a CPU with 5-level paging, which the first kernel then uses. */
  la57: boolean;
  memoryBytes: number;
  smp: number;
  kernel: string;
  initrd: string;
  append: string;
  /** Scratch directory (OVMF's variable store copy). */
  workDir: string;
}

/**
 * The first kernel's command line unless --first-append: its console on the serial port
 * the next kernel uses too, and loglevel=6, which keeps "kexec_core: Starting new
 * kernel" (KERN_NOTICE) but drops the KERN_INFO bulk that slows a TCG guest's console.
 */
export const DEFAULT_FIRST_APPEND: Record<KexecArch, string> = {
  arm64: 'console=ttyAMA0 loglevel=6',
  x86_64: 'console=ttyS0 loglevel=6',
};

/** QEMU exit statuses that mean "the guest switched the machine off". */
export const POWEROFF_STATUSES: Record<KexecArch, number[]> = {
  arm64: [0], // PSCI SYSTEM_OFF
  x86_64: [0, 0x21], // ACPI; the blob's isa-debug-exit write of 0x10
};

const BINARY: Record<KexecArch, string> = { arm64: 'qemu-system-aarch64', x86_64: 'qemu-system-x86_64' };

/** Debian 12's EDK2 builds: qemu-efi-aarch64 and ovmf. */
const EDK2 = {
  arm64: { file: '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd', pkg: 'qemu-efi-aarch64' },
  x86Code: { file: '/usr/share/OVMF/OVMF_CODE_4M.fd', pkg: 'ovmf' },
  x86Vars: { file: '/usr/share/OVMF/OVMF_VARS_4M.fd', pkg: 'ovmf' },
};

function firmwareFile(fw: { file: string; pkg: string }): string {
  if (!existsSync(fw.file)) throw new GenError(`qemu --kexec --firmware uefi: ${fw.file} is missing (install Debian's ${fw.pkg}; scripts/setup-tests.sh does)`);
  return fw.file;
}

/** QEMU's option parser splits on commas; a literal comma is written twice. */
const qemuValue = (s: string): string => s.replaceAll(',', ',,');

function common(b: FirstBoot): string[] {
  // -nic none: no PXE option ROM for EDK2 to try before the fw_cfg kernel.
  return ['-m', `${Math.floor(b.memoryBytes / 0x10_0000)}M`, '-smp', String(b.smp), '-display', 'none',
    '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-nic', 'none'];
}

const kernelArgs = (b: FirstBoot): string[] => ['-kernel', b.kernel, '-initrd', b.initrd, '-append', b.append];

/** Rejects options the architecture's machine does not have. */
export function checkFirstBoot(b: Pick<FirstBoot, 'arch' | 'el' | 'la57'> & { firmware?: FirstFirmware }): void {
  if (b.arch === 'arm64' && b.la57) throw new UsageError('qemu --kexec: --la57 is for x86_64 only');
  if (b.arch === 'x86_64' && b.el !== 'el1') throw new UsageError('qemu --kexec: --el2 and --vhe are for arm64 only');
  // Debian's arm64 kernels have no kexec_file_load, the only kexec Secure Boot leaves.
  if (b.arch === 'arm64' && b.firmware === 'secure-boot') throw new UsageError('qemu --kexec: --firmware secure-boot is for x86_64 only');
}

function arm64Args(b: FirstBoot): string[] {
  const machine = b.el === 'el1' ? 'virt' : 'virt,virtualization=on';
  // pauth-impdef: QEMU's default QARMA pointer authentication is slow under TCG.
  const cpu = b.el === 'vhe' ? 'max,pauth-impdef=on' : 'cortex-a57';
  const fw = b.firmware === 'uefi' ? ['-bios', firmwareFile(EDK2.arm64)] : [];
  return ['-M', machine, '-cpu', cpu, ...common(b), ...fw, ...kernelArgs(b)];
}

function x86Args(b: FirstBoot): string[] {
  const fw: string[] = [];
  if (b.firmware === 'uefi') {
    // OVMF writes its variable store, so each run gets its own copy.
    const vars = join(b.workDir, 'OVMF_VARS.fd');
    copyFileSync(firmwareFile(EDK2.x86Vars), vars);
    fw.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${qemuValue(firmwareFile(EDK2.x86Code))}`,
      '-drive', `if=pflash,format=raw,unit=1,file=${qemuValue(vars)}`);
  }
  const machine = b.firmware === 'secure-boot' ? secureBootArgs(b.workDir) : ['-M', 'q35'];
  return [...machine, '-cpu', b.la57 ? 'max' : 'max,la57=off', ...common(b),
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', ...fw, ...kernelArgs(b)];
}

/** The QEMU command line that boots the first kernel with its stage initramfs. */
export function firstKernelCommand(b: FirstBoot): QemuCommandLine {
  checkFirstBoot(b);
  return { binary: BINARY[b.arch], args: b.arch === 'arm64' ? arm64Args(b) : x86Args(b) };
}
