// Runs the real command line, as a user would, and captures what it printed.
import { spawnSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './debian.ts';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

const BIN = join(ROOT, 'bin', 'gen-purgatory.js');

export function cli(args: string[], timeoutMs = 600_000): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the worker: QEMU boots run side by side. */
export function cliAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** A user-facing failure: one line, our prefix, no stack trace. */
export function isOneLineError(r: CliResult): boolean {
  const lines = r.stderr.trimEnd().split('\n');
  return lines.length === 1 && lines[0].startsWith('gen-purgatory: ') && !r.stderr.includes('    at ');
}
