// Everything between "boot this image" and a QEMU command line: the machine's facts,
// the segment plan, and the segment files. Shared by the qemu command and the benchmark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../targets/target.ts';
import type { ConsoleChoice } from '../loader/console.ts';
import { planSegments, type Payload, type Plan } from '../loader/plan.ts';
import type { BlobInput } from '../commands/inputs.ts';
import { MACHINES } from './machines.ts';
import type { QemuCommandLine, QemuMachine } from './machine.ts';

export interface BootRequest {
  target: Target;
  blob: BlobInput;
  image: Payload;
  initrd?: Payload;
  cmdline: string;
  memoryBytes: number;
  el2: boolean;
  vhe?: boolean;
  la57?: boolean;
  console?: ConsoleChoice;
  blobAddr?: bigint;
  /** QEMU's gdbstub device (`-gdb DEV`, e.g. tcp::1234); the CPU then waits for gdb (`-S`). */
  gdb?: string;
}

export interface PreparedBoot {
  machine: QemuMachine;
  plan: Plan;
  command: QemuCommandLine;
  /** Removes the scratch directory; call when QEMU has exited. */
  cleanup(): void;
}

function writeSegments(plan: Plan, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of plan.segments) {
    const f = join(dir, `segment-${s.name}.bin`);
    writeFileSync(f, s.data);
    files.set(s.name, f);
  }
  return files;
}

export async function prepareBoot(r: BootRequest): Promise<PreparedBoot> {
  const machine = MACHINES[r.target.name];
  const workDir = mkdtempSync(join(tmpdir(), 'gen-purgatory-'));
  const cleanup = (): void => rmSync(workDir, { recursive: true, force: true });
  try {
    const o = { memoryBytes: r.memoryBytes, el2: r.el2 || r.vhe === true, vhe: r.vhe, la57: r.la57, workDir };
    const facts = await machine.facts(o);
    const plan = planSegments({
      target: r.target, blob: r.blob.blob, blobHeader: r.blob.header, image: r.image, initrd: r.initrd,
      cmdline: r.cmdline, dtb: facts.dtb ? { data: facts.dtb, file: 'machine.dtb' } : undefined,
      regions: facts.regions, psci: facts.psci, avoid: facts.avoid,
      console: r.console ?? facts.console, blobAddr: r.blobAddr,
    });
    const command = await machine.commandLine(plan, writeSegments(plan, workDir), o);
    if (r.gdb !== undefined) command.args.push('-gdb', r.gdb, '-S');
    return { machine, plan, command, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
