// `gen-purgatory qemu --arch A IMAGE …`: plans the segments for a QEMU machine and runs
// the whole chain from the state kexec leaves behind, streaming the guest console.
import { parse, parseSize, parseNumber } from '../args.ts';
import { UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { prepareBoot } from '../qemu/boot.ts';
import { runQemu, judge } from '../qemu/run.ts';
import { formatPlan, type Plan } from '../loader/plan.ts';
import { pickConsole } from '../loader/console.ts';
import { readKernel, readOptional, readBlob, checkArch, consoleOption, blobAddrOption } from './inputs.ts';
import { spcrOption } from './plan.ts';
import { qemuKexec, KEXEC_USAGE } from './qemu-kexec.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory qemu --arch A IMAGE [--initrd F] [--append S] [--el2 | --vhe] [--la57]
                         [--memory SIZE] [--timeout S] [--blob F] [--blob-addr ADDR] [--console SPEC]
                         [--spcr F] [--show-plan] [--gdb DEV]

Boots IMAGE through the purgatory blob in QEMU, starting the machine in the state
kexec_load leaves behind, and streams the guest console to stdout. Exits 0 when the
guest switches the machine off.

  --arch A          arm64 (QEMU virt) or x86_64 (QEMU q35)
  --initrd F        initrd segment
  --append S        kernel command line
  --el2             arm64: enter the blob at EL2 (virtualization=on); default EL1
  --vhe             arm64: enter at EL2 with HCR_EL2.E2H and TGE set, as a VHE host
                    kernel leaves it (CPU model max)
  --la57            x86_64: enter with 5-level paging (CR4.LA57), as a kernel running
                    with LA57 leaves it (CPU model qemu64,+la57)
  --memory SIZE     guest RAM (default 1G)
  --timeout S       seconds before giving up (default 120)
  --blob F          blob to use (default out/<arch>/purgatory.bin)
  --blob-addr ADDR  place the blob at this physical address
  --console SPEC    console named in the handoff block (default: the machine's stdout-path);
                    wins over --spcr
  --spcr F          take the console from an ACPI SPCR table (a raw table, as
                    /sys/firmware/acpi/tables/SPCR); wins over the machine's stdout-path
  --show-plan       print the segment plan on stderr before starting QEMU
  --gdb DEV         start QEMU's gdbstub on DEV (tcp::1234, or unix:PATH,server=on,wait=off)
                    with the CPU stopped, and print where the blob is for gdb's
                    add-symbol-file (docs/debugging.md)
`;

/** Where the blob sits, in the form gdb's add-symbol-file takes (the ELF is linked at 0). */
function gdbHint(plan: Plan, dev: string): string {
  const blob = plan.segments.find((s) => s.name === 'blob');
  return `gen-purgatory: gdb: QEMU waits on ${dev}; blob at 0x${blob?.addr.toString(16) ?? '?'} ` +
    `(add-symbol-file out/${plan.arch}/purgatory.elf -o 0x${blob?.addr.toString(16) ?? '?'})\n`;
}

export const qemu: Command = {
  name: 'qemu',
  usage: USAGE + KEXEC_USAGE,
  async run(args: string[]): Promise<number> {
    if (args.includes('--kexec')) return qemuKexec(args);
    const { values: v, positionals } = parse(args, {
      arch: { type: 'string' }, initrd: { type: 'string' }, append: { type: 'string' }, el2: { type: 'boolean' }, vhe: { type: 'boolean' }, la57: { type: 'boolean' },
      memory: { type: 'string' }, timeout: { type: 'string' }, blob: { type: 'string' }, 'blob-addr': { type: 'string' },
      console: { type: 'string' }, spcr: { type: 'string' }, 'show-plan': { type: 'boolean' }, gdb: { type: 'string' },
    }, 'qemu');
    if (positionals.length !== 1) throw new UsageError('qemu: exactly one IMAGE is required (try --help)');
    const target = targetByName(v.arch as string | undefined);
    const kernel = readKernel(positionals[0]);
    checkArch(kernel, target);
    const initrd = readOptional(v.initrd as string | undefined, 'initrd');
    const timeout = v.timeout !== undefined ? parseNumber(v.timeout as string, '--timeout') : 120;
    const boot = await prepareBoot({
      target, blob: readBlob(target, v.blob as string | undefined), image: kernel, initrd,
      cmdline: (v.append as string | undefined) ?? '', el2: v.el2 === true, vhe: v.vhe === true, la57: v.la57 === true,
      memoryBytes: parseSize((v.memory as string | undefined) ?? '1G', '--memory'),
      // The machine's stdout-path is the fallback prepareBoot applies.
      console: pickConsole({ option: consoleOption(v.console), spcr: spcrOption(v.spcr) }).console,
      blobAddr: blobAddrOption(v['blob-addr']),
      gdb: v.gdb as string | undefined,
    });
    try {
      if (v['show-plan']) process.stderr.write(formatPlan(boot.plan));
      if (v.gdb !== undefined) process.stderr.write(gdbHint(boot.plan, v.gdb as string));
      const result = await runQemu(boot.command, timeout, (s) => process.stdout.write(s));
      return judge(boot.machine, result);
    } finally {
      boot.cleanup();
    }
  },
};
