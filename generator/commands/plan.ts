// `gen-purgatory plan IMAGE …`: the kexec segment plan for a kernel on a machine
// described by its DTB (arm64) or e820 map (x86_64).
import { parse } from '../args.ts';
import { UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { parseFdt, memoryRegions, psciConduit, stdoutConsole } from '../formats/fdt.ts';
import { readE820 } from '../formats/e820.ts';
import { planSegments, formatPlan, type Plan, type PlanInput } from '../loader/plan.ts';
import { readKernel, readOptional, readBlob, checkArch, consoleOption, blobAddrOption } from './inputs.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory plan IMAGE [--initrd F] [--append S] (--dtb F | --e820 F)
                         [--arch A] [--blob F] [--blob-addr ADDR] [--console SPEC] [--json]

Prints the kexec segments (address, memory size, bytes) for booting IMAGE through the
blob, and the memory map handed to it. The machine is described by its device tree
(--dtb, as /sys/firmware/fdt) or its e820 map (--e820, dmesg 'BIOS-e820:' lines or
/sys/firmware/memmap-style 'START END TYPE' lines).

  --arch A          checked against the image (default: the image's own arch)
  --json            machine-readable output (addresses as hex strings)
`;

type MachinePart = Pick<PlanInput, 'regions' | 'dtb' | 'psci' | 'console'>;

function describeMachine(dtbFile: string | undefined, e820File: string | undefined): MachinePart {
  if ((dtbFile === undefined) === (e820File === undefined)) {
    throw new UsageError('plan: give exactly one of --dtb F or --e820 F (the memory map to plan in)');
  }
  if (e820File !== undefined) return { regions: readE820(e820File) };
  const dtb = readOptional(dtbFile, 'dtb');
  if (!dtb) throw new UsageError('plan: --dtb needs a file');
  const fdt = parseFdt(dtb.data, dtb.file);
  return { regions: memoryRegions(fdt), dtb, psci: psciConduit(fdt), console: stdoutConsole(fdt) };
}

function toJson(plan: Plan): string {
  const hex = (v: bigint): string => `0x${v.toString(16)}`;
  return JSON.stringify({
    arch: plan.arch, entry: hex(plan.entry), handoff: hex(plan.handoffAddr),
    segments: plan.segments.map((s) => ({ name: s.name, addr: hex(s.addr), memsz: hex(s.memsz), bufsz: hex(BigInt(s.data.length)), source: s.source ?? null })),
    regions: plan.regions.map((r) => ({ base: hex(r.base), size: hex(r.size), type: r.type })),
  }, null, 2) + '\n';
}

export const plan: Command = {
  name: 'plan',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values: v, positionals } = parse(args, {
      arch: { type: 'string' }, initrd: { type: 'string' }, append: { type: 'string' }, dtb: { type: 'string' },
      e820: { type: 'string' }, json: { type: 'boolean' }, blob: { type: 'string' }, 'blob-addr': { type: 'string' },
      console: { type: 'string' },
    }, 'plan');
    if (positionals.length !== 1) throw new UsageError('plan: exactly one IMAGE is required (try --help)');
    const kernel = readKernel(positionals[0]);
    const target = targetByName((v.arch as string | undefined) ?? kernel.info.arch);
    checkArch(kernel, target);
    const machine = describeMachine(v.dtb as string | undefined, v.e820 as string | undefined);
    const { blob, header } = readBlob(target, v.blob as string | undefined);
    const result = planSegments({
      target, blob, blobHeader: header, image: kernel, cmdline: (v.append as string | undefined) ?? '',
      initrd: readOptional(v.initrd as string | undefined, 'initrd'), ...machine,
      console: consoleOption(v.console) ?? machine.console,
      blobAddr: blobAddrOption(v['blob-addr']),
      rngSeed: new Uint8Array(32), // a plan printed for reading needs no entropy
    });
    process.stdout.write(v.json ? toJson(result) : formatPlan(result));
    return 0;
  },
};
