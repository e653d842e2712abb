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

/** Starts QEMU and passes its output through to `sink` as it arrives. */
export function runQemu(cmd: QemuCommandLine, timeoutSec: number, sink: (s: string) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.binary, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutSec * 1000);
    child.stdout.on('data', (b: Buffer) => { const s = b.toString('latin1'); output += s; sink(s); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new GenError(`qemu: cannot start ${cmd.binary}: ${err.message} (install it with scripts/setup-tests.sh)`, 1));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new GenError(`qemu: timed out after ${timeoutSec} s without the guest switching the machine off`, 124));
      if (code === null) return reject(new GenError(`qemu: ${cmd.binary} was killed by ${signal}`, 1));
      if (stderr.trim() && !output) return reject(new GenError(`qemu: ${stderr.trim().split('\n')[0]}`, 1));
      resolve({ status: code, output });
    });
  });
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
