// Runs QEMU, streams the guest console, and turns the way it ended into an exit code.
import { spawn } from 'node:child_process';
import { GenError } from '../errors.ts';
import type { QemuCommandLine, QemuMachine } from './machine.ts';

export interface RunResult {
  status: number;
  output: string;
}

/** A blob or shim failure line on the guest console. */
const GUEST_ERROR = /^(gen-purgatory: error:|qemu-shim: (?!entering ))/m;

export interface QemuRun {
  status: number | null;
  signal: string | null;
  output: string;
  stderr: string;
  timedOut: boolean;
  /** Milliseconds from spawning QEMU until the output first matched `mark`. */
  markMs?: number;
}

export interface SpawnOptions {
  timeoutMs: number;
  /** Receives the console output as it arrives. */
  sink?: (s: string) => void;
  /** Records when the output first matches; with `stopAtMark`, QEMU is then killed. */
  mark?: RegExp;
  stopAtMark?: boolean;
}

/** The Debian package that installs each emulator we start. */
const DEBIAN_PACKAGE: Record<string, string> = {
  'qemu-system-aarch64': 'qemu-system-arm', 'qemu-system-x86_64': 'qemu-system-x86', 'qemu-aarch64': 'qemu-user',
};

/** Why `binary` did not start, in a few words: a missing one names the package to install. */
export function startFailure(binary: string, err: Error): string {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot start ${binary}: ${err.message}`;
  const pkg = DEBIAN_PACKAGE[binary];
  return `${binary} is not installed${pkg ? ` (on Debian: apt-get install ${pkg})` : ''}`;
}

/** Runs QEMU to its end (or the mark, or the timeout) and reports how it went. */
export function spawnQemu(cmd: QemuCommandLine, o: SpawnOptions): Promise<QemuRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd.binary, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const run: QemuRun = { status: null, signal: null, output: '', stderr: '', timedOut: false };
    const timer = setTimeout(() => { run.timedOut = true; child.kill('SIGKILL'); }, o.timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      const s = b.toString('latin1');
      run.output += s;
      o.sink?.(s);
      if (run.markMs !== undefined || !o.mark?.test(run.output)) return;
      run.markMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (o.stopAtMark) child.kill('SIGKILL');
    });
    child.stderr.on('data', (b: Buffer) => { run.stderr += b.toString(); });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ...run, status: code, signal });
    });
  });
}

/** The qemu command's run: streams to `sink`; a timeout or crash is a GenError. */
export async function runQemu(cmd: QemuCommandLine, timeoutSec: number, sink: (s: string) => void): Promise<RunResult> {
  const r = await spawnQemu(cmd, { timeoutMs: timeoutSec * 1000, sink }).catch((err: Error) => {
    throw new GenError(`qemu: ${startFailure(cmd.binary, err)}`, 1);
  });
  if (r.timedOut) throw new GenError(`qemu: timed out after ${timeoutSec} s without the guest switching the machine off`, 124);
  if (r.status === null) throw new GenError(`qemu: ${cmd.binary} was killed by ${r.signal}`, 1);
  if (r.stderr.trim() && !r.output) throw new GenError(`qemu: ${r.stderr.trim().split('\n')[0]}`, 1);
  return { status: r.status, output: r.output };
}

/** 0 when the guest powered off cleanly; otherwise a GenError that says why. */
export function judge(machine: QemuMachine, r: RunResult): number {
  const guest = GUEST_ERROR.exec(r.output);
  if (guest) {
    const line = r.output.slice(guest.index).split('\n')[0].trim();
    throw new GenError(`qemu: the guest reported a failure: ${line}`, 1);
  }
  if (machine.poweroffStatuses.includes(r.status)) return 0;
  const why = machine.failureStatuses[r.status] ?? 'unexpected exit status';
  throw new GenError(`qemu: exited with status ${r.status}: ${why}`, 1);
}
