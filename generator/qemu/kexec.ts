// The real-kexec harness: boots a first kernel (default Debian's cloud kernel) in QEMU
// with an initramfs whose /init runs Debian's kexec-tools on an image, then `kexec -e`
// (or, for kdump, `kexec -p` and a crash), and streams the console with a timestamp for
// every line. Shared by
// `gen-purgatory qemu --kexec`, the tests and the benchmarks.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenError } from '../errors.ts';
import { readInput } from '../commands/inputs.ts';
import { spawnQemu, startFailure } from './run.ts';
import { cachedFirstKernel, kexecUserland, type KexecArch } from './kexec-root.ts';
import { captureInitramfs, kdumpInitramfs, stagesInitramfs, type KexecMode, type KexecSyscall } from './kexec-initramfs.ts';
import { DEFAULT_CRASHKERNEL, KDUMP_APPEND, firstKdumpAppend, kdumpFailure, kdumpPanicFailure } from './kexec-kdump.ts';
import { DEFAULT_FIRST_APPEND, POWEROFF_STATUSES, checkFirstBoot, firstKernelCommand, type FirstEl, type FirstFirmware } from './kexec-machine.ts';
import type { QemuCommandLine } from './machine.ts';
import { SECURE_BOOT_APPEND, snakeoilSign } from './kexec-secureboot.ts';

export interface KexecRequest {
  arch: KexecArch;
  /** What kexec loads; absent only for a capture in the first kernel itself. */
  image?: string;
  /** The last image's initrd. */
  initrd?: string;
  /** The last image's command line (default: the first kernel's, so its console works); null: no --append. */
  append?: string | null;
  firmware?: FirstFirmware;
  el?: FirstEl;
  la57?: boolean;
  /** kexec_load (`kexec -l`, the default) or kexec_file_load (`kexec -s -l`). */
  syscall?: KexecSyscall;
  /** kexecs in a row; 2 makes the second kernel kexec the image again (default 1). */
  count?: number;
  /** Images the first kernel must refuse to load, tried before IMAGE (Secure Boot's controls). */
  refusals?: { syscall: KexecSyscall; image: string }[];
  /**
   * exec (default): `kexec -e`. kdump: the first kernel boots with crashkernel= and
   * init_on_free=1, loads the image with `kexec -p`, writes a pattern into tmpfs and
   * crashes; the image gets KDUMP_APPEND on its command line and, unless `initrd` is
   * given, an initramfs that counts the pattern in /proc/vmcore. Needs count 1.
   */
  mode?: KexecMode;
  /** kdump: the first kernel's crashkernel= value (default DEFAULT_CRASHKERNEL). */
  crashkernel?: string;
  /** Default: the Debian cloud kernel in .cache/debian. */
  firstKernel?: string;
  /** Trees holding kexec, busybox and their libraries; default: the Debian cache. */
  kexecRoots?: string[];
  /** Default DEFAULT_FIRST_APPEND; also the command line of the kernels in between. */
  firstAppend?: string;
  memoryBytes?: number;
  smp?: number;
  timeoutSec?: number;
  /**
   * Dump the boot data a kernel got (CAPTURE_PREFIX lines): the first kernel's when there
   * is no image, else that of the image kexec starts, which must be a Linux kernel.
   */
  capture?: boolean;
  /** Receives the console output as it arrives. */
  sink?: (s: string) => void;
}

/** One console line, cleaned of CR and escape sequences, with when its first byte came. */
export interface ConsoleLine {
  /** Milliseconds since QEMU was spawned. */
  ms: number;
  text: string;
}

export interface KexecRun {
  arch: KexecArch;
  mode: KexecMode;
  /** kdump with the harness's crash initramfs: the run must report the whole pattern. */
  countsPattern: boolean;
  command: QemuCommandLine;
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  timeoutSec: number;
  stderr: string;
  /** The raw console output. */
  output: string;
  lines: ConsoleLine[];
}

export const DEFAULT_MEMORY = 2 * 0x4000_0000;
export const DEFAULT_TIMEOUT_SEC = 300;

/** ANSI/VT escape sequences (EDK2 clears the screen, sets modes) and carriage returns. */
const ESCAPES = /\x1b(\[[0-9;?=]*[A-Za-z]|c)|\r/g;

/** Splits streamed output into lines stamped with the arrival of their first byte. */
class LineClock {
  readonly lines: ConsoleLine[] = [];
  private pending = '';
  private pendingMs = 0;
  private readonly t0 = process.hrtime.bigint();

  feed(chunk: string): void {
    const ms = Number(process.hrtime.bigint() - this.t0) / 1e6;
    const parts = chunk.split('\n');
    for (let i = 0; i < parts.length; i++) {
      if (this.pending === '') this.pendingMs = ms;
      this.pending += parts[i];
      if (i < parts.length - 1) this.flush();
    }
  }

  flush(): void {
    if (this.pending !== '') this.lines.push({ ms: this.pendingMs, text: this.pending.replace(ESCAPES, '') });
    this.pending = '';
  }
}

/** What the first kernel boots with: its initramfs and command line. */
interface FirstStage {
  initrd: Uint8Array;
  append: string;
}

function checkRequest(r: KexecRequest): void {
  if (r.image === undefined && !r.capture) throw new GenError('qemu --kexec: an IMAGE for kexec to load is required (or --capture DIR alone)');
  if (r.capture && r.initrd !== undefined) throw new GenError('qemu --kexec: --capture boots its own initrd; leave out --initrd');
  if (r.mode !== 'kdump') return;
  if (r.image === undefined) throw new GenError('qemu --kexec: --kdump needs an IMAGE to load as the crash kernel');
  if (r.capture) throw new GenError('qemu --kexec: --kdump and --capture exclude each other');
  if ((r.count ?? 1) !== 1) throw new GenError('qemu --kexec: --kdump and --twice exclude each other');
}

function firstStage(r: KexecRequest): FirstStage {
  checkRequest(r);
  const userland = kexecUserland(r.arch, r.kexecRoots);
  const firstAppend = r.firstAppend ?? DEFAULT_FIRST_APPEND[r.arch];
  if (r.image === undefined) return { initrd: captureInitramfs(userland), append: firstAppend };
  const kdump = r.mode === 'kdump';
  const given = r.initrd !== undefined ? readInput(r.initrd, 'initrd') : undefined;
  const last = r.capture ? captureInitramfs(userland) : kdump ? given ?? kdumpInitramfs(userland) : given;
  const cmdline = r.append === null ? undefined : r.append ?? firstAppend;
  const initrd = stagesInitramfs({
    userland, image: readInput(r.image, 'image'), initrd: last,
    cmdline: kdump ? `${cmdline ?? ''} ${KDUMP_APPEND}` : cmdline, middleCmdline: firstAppend,
    syscall: r.syscall ?? 'kexec_load', mode: r.mode, count: r.count ?? 1,
    refusals: r.refusals?.map((x) => ({ syscall: x.syscall, image: readInput(x.image, 'refusal image') })),
  });
  return { initrd, append: kdump ? `${firstAppend} ${firstKdumpAppend(r.crashkernel ?? DEFAULT_CRASHKERNEL)}` : firstAppend };
}

function firstKernel(r: KexecRequest): string {
  if (r.firstKernel === undefined) return cachedFirstKernel(r.arch);
  if (!existsSync(r.firstKernel)) throw new GenError(`first kernel ${r.firstKernel}: cannot read: no such file`);
  return r.firstKernel;
}

/** Boots the first kernel and runs the kexec chain to its end, the timeout or a kernel panic. */
export async function runKexec(r: KexecRequest): Promise<KexecRun> {
  checkFirstBoot({ arch: r.arch, el: r.el ?? 'el1', la57: r.la57 === true, firmware: r.firmware });
  const first = firstStage(r);
  const workDir = mkdtempSync(join(tmpdir(), 'gen-purgatory-kexec-'));
  try {
    // Secure Boot: the first kernel re-signed with the key the firmware trusts, locked down.
    const secure = r.firmware === 'secure-boot';
    let kernel = firstKernel(r);
    if (secure) snakeoilSign(kernel, (kernel = join(workDir, 'first-kernel.signed')), workDir);
    if (secure) first.append = `${first.append} ${SECURE_BOOT_APPEND}`;
    const initrdFile = join(workDir, 'initrd.cpio');
    writeFileSync(initrdFile, first.initrd);
    const command = firstKernelCommand({
      arch: r.arch, firmware: r.firmware ?? 'direct', el: r.el ?? 'el1', la57: r.la57 === true,
      memoryBytes: r.memoryBytes ?? DEFAULT_MEMORY, smp: r.smp ?? 1,
      kernel, initrd: initrdFile, append: first.append, workDir,
    });
    const timeoutSec = r.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
    const clock = new LineClock();
    const q = await spawnQemu(command, {
      timeoutMs: timeoutSec * 1000,
      sink: (s) => { clock.feed(s); r.sink?.(s); },
      // A panicked kernel waits forever: stop once its report is complete. A panic that
      // starts a crash kernel never gets to this line.
      mark: /---\[ end Kernel panic/, stopAtMark: true,
    }).catch((err: Error) => {
      throw new GenError(`qemu --kexec: ${startFailure(command.binary, err)}`, 1);
    });
    clock.flush();
    const mode = r.mode ?? 'exec';
    const countsPattern = mode === 'kdump' && r.initrd === undefined;
    return { arch: r.arch, mode, countsPattern, command, status: q.status, signal: q.signal, timedOut: q.timedOut, timeoutSec, stderr: q.stderr, output: q.output, lines: clock.lines };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const GUEST_ERROR = /^gen-purgatory: error:.*$/m;
const PANIC = /Kernel panic - not syncing.*$/m;

/** A guest error line, or a panic except the one that starts a kdump crash kernel. */
function guestFailure(run: KexecRun): string | undefined {
  const error = GUEST_ERROR.exec(run.output) ?? (run.mode === 'exec' ? PANIC.exec(run.output) : null);
  if (error) return error[0].replace(ESCAPES, '').trim();
  return run.mode === 'kdump' ? kdumpPanicFailure(run.lines) : undefined;
}

/**
 * Returns normally when the guest switched the machine off without an error line, and in
 * kdump mode after the crash kernel started (and found the whole pattern, if it counted).
 */
export function judgeKexec(run: KexecRun): void {
  const guest = guestFailure(run);
  if (guest) throw new GenError(`qemu --kexec: the guest reported a failure: ${guest}`, 1);
  const last = run.lines.at(-1)?.text.trim() ?? '(no console output)';
  if (run.timedOut) throw new GenError(`qemu --kexec: timed out after ${run.timeoutSec} s; the last console line was: ${last}`, 124);
  if (run.status === null) throw new GenError(`qemu --kexec: ${run.command.binary} was killed by ${run.signal}`, 1);
  if (run.stderr.trim() && !run.output) throw new GenError(`qemu --kexec: ${run.stderr.trim().split('\n')[0]}`, 1);
  const kdump = run.mode === 'kdump' ? kdumpFailure(run.lines, run.countsPattern) : undefined;
  if (kdump) throw new GenError(`qemu --kexec: kdump: ${kdump}`, 1);
  if (POWEROFF_STATUSES[run.arch].includes(run.status)) return;
  throw new GenError(`qemu --kexec: ${run.command.binary} exited with status ${run.status}; the last console line was: ${last}`, 1);
}
