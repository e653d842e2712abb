// `gen-purgatory qemu --arch A IMAGE …`: plans the segments for a QEMU machine and runs
// the whole chain from the state kexec leaves behind, streaming the guest console.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseSize, parseNumber } from '../args.ts';
import { GenError, UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { MACHINES } from '../qemu/machines.ts';
import { runQemu, judge } from '../qemu/run.ts';
import { parseConsoleSpec } from '../loader/console.ts';
import { planSegments, formatPlan, type Plan } from '../loader/plan.ts';
import { readKernel, readOptional, readBlob, checkArch } from './inputs.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory qemu --arch A IMAGE [--initrd F] [--append S] [--el2]
                         [--memory SIZE] [--timeout S] [--blob F] [--blob-addr ADDR] [--console SPEC]

Boots IMAGE through the purgatory blob in QEMU, starting the machine in the state
kexec_load leaves behind, and streams the guest console to stdout. Exits 0 when the
guest switches the machine off.

  --arch A          arm64 (QEMU virt) or x86_64 (QEMU q35)
  --initrd F        initrd segment
  --append S        kernel command line
  --el2             arm64: enter the blob at EL2 (virtualization=on); default EL1
  --memory SIZE     guest RAM (default 1G)
  --timeout S       seconds before giving up (default 120)
  --blob F          blob to use (default out/<arch>/purgatory.bin)
  --blob-addr ADDR  place the blob at this physical address
  --console SPEC    console named in the handoff block (default: the machine's stdout-path)
  --show-plan       print the segment plan on stderr before starting QEMU
`;

function writeSegments(plan: Plan, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of plan.segments) {
    const f = join(dir, `segment-${s.name}.bin`);
    writeFileSync(f, s.data);
    files.set(s.name, f);
  }
  return files;
}

export const qemu: Command = {
  name: 'qemu',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values: v, positionals } = parse(args, {
      arch: { type: 'string' }, initrd: { type: 'string' }, append: { type: 'string' }, el2: { type: 'boolean' },
      memory: { type: 'string' }, timeout: { type: 'string' }, blob: { type: 'string' }, 'blob-addr': { type: 'string' },
      console: { type: 'string' }, 'show-plan': { type: 'boolean' },
    }, 'qemu');
    if (positionals.length !== 1) throw new UsageError('qemu: exactly one IMAGE is required (try --help)');
    const target = targetByName(v.arch as string | undefined);
    const machine = MACHINES[target.name];
    if (!machine) throw new GenError(`qemu: no QEMU machine for ${target.name} yet`, 64);
    const kernel = readKernel(positionals[0]);
    checkArch(kernel, target);
    const initrd = readOptional(v.initrd as string | undefined, 'initrd');
    const { blob, header } = readBlob(target, v.blob as string | undefined);
    const timeout = v.timeout !== undefined ? parseNumber(v.timeout as string, '--timeout') : 120;
    const workDir = mkdtempSync(join(tmpdir(), 'gen-purgatory-'));
    try {
      const o = { memoryBytes: parseSize((v.memory as string | undefined) ?? '1G', '--memory'), el2: v.el2 === true, workDir };
      const facts = await machine.facts(o);
      const plan = planSegments({
        target, blob, blobHeader: header, image: kernel, initrd, cmdline: (v.append as string | undefined) ?? '',
        dtb: facts.dtb ? { data: facts.dtb, file: 'machine.dtb' } : undefined,
        regions: facts.regions, psci: facts.psci, avoid: facts.avoid,
        console: v.console !== undefined ? parseConsoleSpec(v.console as string) : facts.console,
        blobAddr: v['blob-addr'] !== undefined ? BigInt(parseNumber(v['blob-addr'] as string, '--blob-addr')) : undefined,
      });
      if (v['show-plan']) process.stderr.write(formatPlan(plan));
      const cmd = await machine.commandLine(plan, writeSegments(plan, workDir), o);
      const result = await runQemu(cmd, timeout, (s) => process.stdout.write(s));
      return judge(machine, result);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
