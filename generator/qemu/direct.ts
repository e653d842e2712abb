// QEMU command lines for booting a kernel *directly* (QEMU's own -kernel loader, no
// purgatory). This is the baseline the end-to-end tests and the benchmark compare the
// purgatory path against, so both must use exactly the same machine description.

/** A program and its arguments, ready for child_process.spawn. */
export interface QemuCommand {
  binary: string;
  args: string[];
}

export interface DirectBootOptions {
  /** Guest RAM as QEMU's -m takes it; default "1G". */
  memory?: string;
  /** "kvm" only makes sense on a matching host; default "tcg" (QEMU's default). */
  accel?: 'tcg' | 'kvm';
}

/**
 * arm64: `virt` with a Cortex-A57 and the PL011 at 0x9000000 (console=ttyAMA0).
 * x86_64: `q35` with COM1 at 0x3f8 (console=ttyS0).
 * -no-reboot turns the guest's reboot or panic-reboot into a QEMU exit, so a boot that
 * goes wrong ends instead of looping; a clean `poweroff` exits QEMU with status 0.
 */
export function directBootArgs(
  arch: 'arm64' | 'x86_64',
  kernel: string,
  initrd: string,
  append: string,
  options: DirectBootOptions = {},
): QemuCommand {
  const common = ['-m', options.memory ?? '1G', '-nographic', '-no-reboot'];
  if (options.accel !== undefined) common.push('-accel', options.accel);
  const boot = ['-kernel', kernel, '-initrd', initrd, '-append', append];
  if (arch === 'arm64') {
    return { binary: 'qemu-system-aarch64', args: ['-M', 'virt', '-cpu', 'cortex-a57', ...common, ...boot] };
  }
  return { binary: 'qemu-system-x86_64', args: ['-M', 'q35', ...common, ...boot] };
}
