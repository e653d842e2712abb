// The Secure Boot first boot of the real-kexec harness (docs/secure-boot.md, x86_64):
// Debian's OVMF built with Secure Boot and SMM, its variable store with the snakeoil
// test key enrolled as PK, KEK and db, and the Debian first kernel re-signed with that
// key (Debian's own signature removed: the kernel checks only the first). The kernel is
// then locked down, and kexec_file_load accepts only images signed with a key in db.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GenError } from '../errors.ts';

/** Debian's ovmf package: the firmware, the variables, and the snakeoil key pair they trust. */
export const SNAKEOIL = {
  code: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd',
  vars: '/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd',
  key: '/usr/share/ovmf/PkKek-1-snakeoil.key',
  cert: '/usr/share/ovmf/PkKek-1-snakeoil.pem',
  password: 'snakeoil',
} as const;

/** What the first kernel is told on top of the usual: lock down even if the kernel would not by itself. */
export const SECURE_BOOT_APPEND = 'lockdown=integrity';

function run(tool: string, args: string[], pkg: string): void {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw new GenError(`qemu --kexec --firmware secure-boot: cannot run ${tool} (install Debian's ${pkg}; scripts/setup-tests.sh does): ${r.error.message}`);
  if (r.status !== 0) throw new GenError(`qemu --kexec --firmware secure-boot: ${tool} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
}

function need(file: string): string {
  if (!existsSync(file)) throw new GenError(`qemu --kexec --firmware secure-boot: ${file} is missing (install Debian's ovmf; scripts/setup-tests.sh does)`);
  return file;
}

/** The snakeoil private key without its password, in `dir` (sbsign cannot ask for one). */
export function snakeoilKey(dir: string): { key: string; cert: string } {
  const key = join(dir, 'snakeoil.key');
  if (!existsSync(key)) run('openssl', ['rsa', '-in', need(SNAKEOIL.key), '-passin', `pass:${SNAKEOIL.password}`, '-out', key], 'openssl');
  return { key, cert: need(SNAKEOIL.cert) };
}

/** Signs the PE `input` with the snakeoil key into `output`, after removing any signature it had. */
export function snakeoilSign(input: string, output: string, dir: string): void {
  const { key, cert } = snakeoilKey(dir);
  const bare = `${output}.unsigned`;
  copyFileSync(input, bare);
  // sbattach refuses an image without a signature; then there is nothing to remove.
  spawnSync('sbattach', ['--remove', bare], { encoding: 'utf8' });
  try {
    run('sbsign', ['--key', key, '--cert', cert, '--output', output, bare], 'sbsigntool');
  } finally {
    rmSync(bare, { force: true });
  }
}

/** The QEMU options of the Secure Boot machine: SMM, secure pflash, the firmware and a copy of its variables. */
export function secureBootArgs(dir: string): string[] {
  const vars = join(dir, 'OVMF_VARS.snakeoil.fd');
  copyFileSync(need(SNAKEOIL.vars), vars);
  const q = (s: string): string => s.replaceAll(',', ',,');
  return ['-M', 'q35,smm=on', '-global', 'driver=cfi.pflash01,property=secure,value=on',
    '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${q(need(SNAKEOIL.code))}`,
    '-drive', `if=pflash,format=raw,unit=1,file=${q(vars)}`];
}
