// Paths to the Debian packages scripts/setup-tests.sh downloads into .cache/debian.
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT: string = resolve(import.meta.dirname, '..', '..');
export const CACHE: string = join(ROOT, '.cache');
const DEBIAN = join(CACHE, 'debian');

/** Debian's architecture name for our arch names. */
export type Arch = 'arm64' | 'x86_64';
const debArch = (arch: Arch): string => (arch === 'arm64' ? 'arm64' : 'amd64');

function unpacked(arch: Arch, pkg: string): string {
  const dir = join(DEBIAN, debArch(arch), pkg, 'root');
  if (!existsSync(dir)) throw new Error(`${dir} missing: run scripts/setup-tests.sh first`);
  return dir;
}

/** The bookworm cloud kernel: arm64 Image (EFI stub) or x86_64 bzImage. */
export function debianKernel(arch: Arch): string {
  const boot = join(unpacked(arch, `linux-image-cloud-${debArch(arch)}`), 'boot');
  const name = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
  if (!name) throw new Error(`no vmlinuz in ${boot}`);
  return join(boot, name);
}

/** systemd-boot-efi's UKI stub (linuxaa64.efi.stub or linuxx64.efi.stub). */
export function systemdStub(arch: Arch): string {
  const name = arch === 'arm64' ? 'linuxaa64.efi.stub' : 'linuxx64.efi.stub';
  return join(unpacked(arch, 'systemd-boot-efi'), 'usr/lib/systemd/boot/efi', name);
}

/** busybox-static's binary. */
export function busybox(arch: Arch): string {
  return join(unpacked(arch, 'busybox-static'), 'bin/busybox');
}

/**
 * The arm64 zboot kernel the test setup builds (scripts/build-zboot-kernel.sh): the shared
 * fixture's configuration plus CONFIG_CRASH_DUMP, so it can serve as a crash kernel.
 */
export const ZBOOT_CRASH_KERNEL: string = join(CACHE, 'kernels/zboot-crash-arm64/vmlinuz.efi');

/** The arm64 zboot kernel from shared/fixtures. */
export const ZBOOT_FIXTURE: string = resolve(ROOT, '..', 'shared/fixtures/zboot-6.12-arm64/vmlinuz.efi');
