// Console timing for the benchmarks: runs QEMU and hands each complete console line,
// cleaned of escape sequences, to a watcher with the milliseconds since spawning.
import { spawn } from 'node:child_process';
import type { QemuCommandLine } from '../generator/qemu/machine.ts';

/** Returns true to stop: QEMU is then killed. */
export type LineWatcher = (line: string, ms: number) => boolean;

/** ANSI/VT escape sequences (firmware clears the screen, sets modes) and carriage returns. */
const ESCAPES = /\x1b(\[[0-9;?=]*[A-Za-z]|c)|\r/g;

export const cleanLine = (raw: string): string => raw.replace(ESCAPES, '').trim();

export interface WatchOptions {
  timeoutMs?: number;
  /** The environment of `cmd` (default: ours). */
  env?: NodeJS.ProcessEnv;
  /**
   * `cmd` starts QEMU itself (`gen-purgatory qemu`): run it in a process group of its own
   * and stop the whole group, so its QEMU does not run on into the next measurement.
   */
  group?: boolean;
}

/** Runs `cmd` until the watcher says stop, QEMU exits, or the timeout; true if stopped or exited. */
export function watchLines(cmd: QemuCommandLine, watch: LineWatcher, o: WatchOptions = {}): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd.binary, cmd.args, { stdio: ['ignore', 'pipe', 'ignore'], env: o.env, detached: o.group === true });
    const kill = (): void => {
      if (o.group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    };
    let pending = '';
    let stopped = false;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; kill(); }, o.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => {
      if (stopped) return;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      pending += b.toString('latin1');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!watch(cleanLine(line), ms)) continue;
        stopped = true;
        kill();
        break;
      }
    });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', () => { clearTimeout(timer); resolve(!timedOut); });
  });
}

/** Milliseconds until the first line matching `match`; throws if none came. */
export async function timeToLine(cmd: QemuCommandLine, match: RegExp, timeoutMs = 120_000): Promise<number> {
  let at: number | undefined;
  await watchLines(cmd, (line, ms) => {
    if (!match.test(line)) return false;
    at = ms;
    return true;
  }, { timeoutMs });
  if (at === undefined) throw new Error(`${cmd.binary}: no line matching ${match} within ${timeoutMs} ms`);
  return at;
}
