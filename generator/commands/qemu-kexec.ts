// `gen-purgatory qemu --kexec …`: the real chain. A first kernel boots in QEMU and runs
// Debian's kexec-tools on IMAGE (generator/qemu/kexec.ts); or, with --capture, dumps the
// boot data a kernel got, for the fixtures of the blob's DTB and boot_params readers.
import { parse, parseNumber, parseSize, type Parsed } from '../args.ts';
import { UsageError } from '../errors.ts';
import { runKexec, judgeKexec, DEFAULT_MEMORY, DEFAULT_TIMEOUT_SEC, type KexecRequest } from '../qemu/kexec.ts';
import { parseCapture, writeCapture } from '../qemu/kexec-capture.ts';
import type { KexecArch } from '../qemu/kexec-root.ts';
import type { FirstEl, FirstFirmware } from '../qemu/kexec-machine.ts';
import { DEFAULT_CRASHKERNEL, KDUMP_APPEND } from '../qemu/kexec-kdump.ts';

export const KEXEC_USAGE = `
usage: gen-purgatory qemu --kexec --arch A IMAGE [--initrd F] [--append S] [--file-load]
                         [--twice | --kdump [--crashkernel S]] [--firmware direct|uefi|secure-boot]
                         [--el2 | --vhe] [--la57] [--first-kernel F] [--first-append S]
                         [--kexec-root DIR[:DIR…]] [--memory SIZE] [--smp N] [--timeout S]
       gen-purgatory qemu --kexec --arch A [IMAGE] --capture DIR [--firmware direct|uefi] …

With --kexec, runs the real chain instead: a first kernel (default: Debian's cloud kernel
that scripts/setup-tests.sh caches) boots in QEMU with an initramfs whose /init loads
IMAGE with Debian's kexec-tools 2.0.25 and starts it with kexec -e. Streams the console;
exits 0 when the guest switches the machine off, 1 on a failed load (the guest prints
"gen-purgatory: error: …" and powers off), a kernel panic or another exit status.

  --initrd F, --append S  the initrd and command line kexec gives IMAGE (default: no initrd,
                     the first kernel's command line)
  --file-load        kexec_file_load (kexec -s -l) instead of kexec_load (kexec -l)
  --twice            IMAGE, started with a second such initramfs, kexecs IMAGE once more
  --kdump            load IMAGE as the crash kernel (kexec -p, -s -p with --file-load), fill
                     32 MiB of tmpfs with a pattern and crash the first kernel with sysrq;
                     IMAGE's command line gets "${KDUMP_APPEND}" and, without --initrd, an
                     initramfs that counts the pattern in /proc/vmcore. Exits 0 when the
                     crash kernel found all of it and switched the machine off
  --crashkernel S    with --kdump: the first kernel's crashkernel= (default ${DEFAULT_CRASHKERNEL});
                     it also gets init_on_free=1, so the count of the pattern is exact
  --firmware F       direct (default): QEMU starts the first kernel (arm64 by DT, x86_64
                     through SeaBIOS); uefi: Debian's EDK2 loads it from fw_cfg and starts
                     its EFI stub, as a server's firmware does; secure-boot (x86_64):
                     OVMF with Secure Boot and the snakeoil key, the first kernel signed
                     with it and locked down, so only a signed IMAGE loads with --file-load
                     (docs/secure-boot.md)
  --el2              arm64: the first kernel runs at EL2 without VHE (virtualization=on)
  --vhe              arm64: the first kernel runs at EL2 with VHE (CPU model max)
  --la57             x86_64: the CPU has 5-level paging, and the first kernel uses it
  --first-kernel F   default: linux-image-cloud-* from .cache/debian
  --first-append S   the first kernel's command line, also given to the kernels in between
                     with --twice (default: console=ttyAMA0 or ttyS0, loglevel=6)
  --kexec-root DIRS  colon-separated trees holding sbin/kexec, bin/busybox and their
                     libraries (default: the Debian packages in .cache/debian)
  --memory SIZE      guest RAM (default 2G)
  --smp N            CPUs of the first kernel (default 1)
  --timeout S        seconds before giving up (default ${DEFAULT_TIMEOUT_SEC})
  --capture DIR      write the boot data a kernel got into DIR: arm64 /sys/firmware/fdt,
                     x86_64 /sys/kernel/boot_params/data and setup_data, /proc/iomem,
                     /sys/firmware/memmap. Without IMAGE the first kernel's (what the
                     firmware handed over); with IMAGE, a Linux kernel, what kexec handed
                     it. Files are named ARCH-FIRMWARE[-el2|-vhe|-la57][-kexec|-kexec-file].*
`;

const OPTIONS = {
  kexec: { type: 'boolean' }, arch: { type: 'string' }, initrd: { type: 'string' }, append: { type: 'string' },
  'file-load': { type: 'boolean' }, twice: { type: 'boolean' }, firmware: { type: 'string' },
  kdump: { type: 'boolean' }, crashkernel: { type: 'string' },
  el2: { type: 'boolean' }, vhe: { type: 'boolean' }, la57: { type: 'boolean' },
  'first-kernel': { type: 'string' }, 'first-append': { type: 'string' }, 'kexec-root': { type: 'string' },
  memory: { type: 'string' }, smp: { type: 'string' }, timeout: { type: 'string' }, capture: { type: 'string' },
} as const;

const str = (v: Parsed['values'], key: string): string | undefined => v[key] as string | undefined;

function archOption(text: string | undefined): KexecArch {
  if (text === 'arm64' || text === 'x86_64') return text;
  throw new UsageError(`qemu --kexec: --arch must be arm64 or x86_64${text === undefined ? '' : `, not '${text}'`}`);
}

function firmwareOption(text: string | undefined): FirstFirmware {
  if (text === undefined || text === 'direct' || text === 'uefi' || text === 'secure-boot') return text ?? 'direct';
  throw new UsageError(`qemu --kexec: --firmware must be direct, uefi or secure-boot, not '${text}'`);
}

function elOption(v: Parsed['values']): FirstEl {
  if (v.el2 && v.vhe) throw new UsageError('qemu --kexec: --el2 and --vhe exclude each other');
  return v.vhe ? 'vhe' : v.el2 ? 'el2' : 'el1';
}

function smpOption(text: string | undefined): number {
  const n = text === undefined ? 1 : parseNumber(text, '--smp');
  if (n < 1 || n > 64) throw new UsageError(`qemu --kexec: --smp must be 1..64, not ${n}`);
  return n;
}

function request(v: Parsed['values'], positionals: string[]): KexecRequest {
  if (positionals.length > 1) throw new UsageError('qemu --kexec: at most one IMAGE (try --help)');
  if (positionals.length === 0 && v.capture === undefined) throw new UsageError('qemu --kexec: an IMAGE is required, unless --capture DIR (try --help)');
  if (v.capture !== undefined && v.initrd !== undefined) throw new UsageError('qemu --kexec: --capture boots its own initrd; leave out --initrd');
  if (v.kdump && (v.twice || v.capture !== undefined)) throw new UsageError('qemu --kexec: --kdump excludes --twice and --capture');
  if (v.crashkernel !== undefined && !v.kdump) throw new UsageError('qemu --kexec: --crashkernel goes with --kdump');
  const timeout = str(v, 'timeout');
  return {
    arch: archOption(str(v, 'arch')), image: positionals[0], initrd: str(v, 'initrd'), append: str(v, 'append'),
    firmware: firmwareOption(str(v, 'firmware')), el: elOption(v), la57: v.la57 === true,
    syscall: v['file-load'] ? 'kexec_file_load' : 'kexec_load', count: v.twice ? 2 : 1,
    mode: v.kdump ? 'kdump' : 'exec', crashkernel: str(v, 'crashkernel'),
    firstKernel: str(v, 'first-kernel'), firstAppend: str(v, 'first-append'),
    kexecRoots: str(v, 'kexec-root')?.split(':').filter((d) => d !== ''),
    memoryBytes: v.memory !== undefined ? parseSize(str(v, 'memory') ?? '', '--memory') : DEFAULT_MEMORY,
    smp: smpOption(str(v, 'smp')), timeoutSec: timeout !== undefined ? parseNumber(timeout, '--timeout') : DEFAULT_TIMEOUT_SEC,
    capture: v.capture !== undefined,
  };
}

/** ARCH-FIRMWARE[-el2|-vhe|-la57][-kexec|-kexec-file]: which boot the captured files come from. */
export function capturePrefix(r: KexecRequest): string {
  const parts: string[] = [r.arch, r.firmware ?? 'direct'];
  if (r.el !== undefined && r.el !== 'el1') parts.push(r.el);
  if (r.la57) parts.push('la57');
  if (r.image !== undefined) parts.push(r.syscall === 'kexec_file_load' ? 'kexec-file' : 'kexec');
  return parts.join('-');
}

export async function qemuKexec(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(args, OPTIONS, 'qemu --kexec');
  const r = request(v, positionals);
  const run = await runKexec({ ...r, sink: (s) => process.stdout.write(s) });
  // The console's last line rarely ends in a newline; keep our stderr line off it.
  if (run.output !== '' && !run.output.endsWith('\n')) process.stdout.write('\n');
  judgeKexec(run);
  const dir = str(v, 'capture');
  if (dir !== undefined) {
    const written = writeCapture(dir, capturePrefix(r), parseCapture(run.lines));
    process.stderr.write(`gen-purgatory: captured ${written.length} files: ${written.join(' ')}\n`);
  }
  return 0;
}
