// `gen-purgatory plan IMAGE …`: the kexec segment plan for a kernel on a machine
// described by its DTB (arm64) or e820 map (x86_64).
import { parse } from '../args.ts';
import { UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { parseFdt, memoryRegions, psciConduit, stdoutConsole } from '../formats/fdt.ts';
import { readE820 } from '../formats/e820.ts';
import { planSegments, formatPlan, type Plan, type PlanInput } from '../loader/plan.ts';
import { formatConsole, pickConsole, type ConsoleChoice } from '../loader/console.ts';
import { consoleFromSpcr } from '../loader/spcr.ts';
import { readKernel, readOptional, readInput, readBlob, checkArch, consoleOption, blobAddrOption } from './inputs.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory plan IMAGE [--initrd F] [--append S] (--dtb F | --e820 F)
                         [--arch A] [--blob F] [--blob-addr ADDR] [--console SPEC]
                         [--spcr F] [--json]

Prints the kexec segments (address, memory size, bytes) for booting IMAGE through the
blob, and the memory map handed to it. The machine is described by its device tree
(--dtb, as /sys/firmware/fdt) or its e820 map (--e820, dmesg 'BIOS-e820:' lines or
/sys/firmware/memmap-style 'START END TYPE' lines).

  --arch A          checked against the image (default: the image's own arch)
  --console SPEC    the UART the blob writes to, e.g. pl011,0x9000000 or 16550,io,0x3f8
                    (or none); wins over --spcr and the DT's stdout-path
  --spcr F          take the console from an ACPI SPCR table (a raw table, as
                    /sys/firmware/acpi/tables/SPCR); wins over the DT's stdout-path
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

/** `--spcr FILE` when given: the console its SPCR table describes. */
export function spcrOption(file: unknown): ConsoleChoice | undefined {
  return typeof file === 'string' ? consoleFromSpcr(readInput(file, 'spcr'), file) : undefined;
}

/** The plan's console and where it came from, for people and for --json. */
interface ConsoleLine {
  spec: string | null;
  from: string;
}

function describeConsole(c: ConsoleChoice | undefined, source: string | undefined, spcrFile: unknown): ConsoleLine {
  if (c === undefined) return { spec: null, from: "none given: the blob's built-in default" };
  const from = source === 'option' ? '--console' : source === 'spcr' ? `SPCR ${String(spcrFile)}` : "the DT's stdout-path";
  return { spec: formatConsole(c), from };
}

function toJson(plan: Plan, con: ConsoleLine): string {
  const hex = (v: bigint): string => `0x${v.toString(16)}`;
  return JSON.stringify({
    arch: plan.arch, entry: hex(plan.entry), handoff: hex(plan.handoffAddr), console: con,
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
      console: { type: 'string' }, spcr: { type: 'string' },
    }, 'plan');
    if (positionals.length !== 1) throw new UsageError('plan: exactly one IMAGE is required (try --help)');
    const kernel = readKernel(positionals[0]);
    const target = targetByName((v.arch as string | undefined) ?? kernel.info.arch);
    checkArch(kernel, target);
    const machine = describeMachine(v.dtb as string | undefined, v.e820 as string | undefined);
    const { blob, header } = readBlob(target, v.blob as string | undefined);
    const chosen = pickConsole({ option: consoleOption(v.console), spcr: spcrOption(v.spcr), machine: machine.console });
    const result = planSegments({
      target, blob, blobHeader: header, image: kernel, cmdline: (v.append as string | undefined) ?? '',
      initrd: readOptional(v.initrd as string | undefined, 'initrd'), ...machine,
      console: chosen.console,
      blobAddr: blobAddrOption(v['blob-addr']),
      rngSeed: new Uint8Array(32), // a plan printed for reading needs no entropy
    });
    const con = describeConsole(chosen.console, chosen.source, v.spcr);
    process.stdout.write(v.json ? toJson(result, con) : `${formatPlan(result)}console: ${con.spec ?? '-'} (${con.from})\n`);
    return 0;
  },
};
