// `gen-purgatory audit --arch A [--json]` and `audit --diff OLD_DIR NEW_DIR [--json]`:
// what the blob can do to a machine (privileged instructions, MMIO, stack, UEFI
// services), and what changed between two generated outputs (docs/audit.md). The
// whole report is built before anything is printed, so an error leaves stdout empty.
import { resolve } from 'node:path';
import { parse } from '../args.ts';
import { GenError, UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import type { Target } from '../targets/target.ts';
import { parseConsoleSpec } from '../loader/console.ts';
import { blobFromDir } from '../audit/load.ts';
import { auditBlob, type AuditReport } from '../audit/report.ts';
import { renderJson, renderText, type FullReport } from '../audit/render.ts';
import { diffReports, renderDiff } from '../audit/diff.ts';
import { uefiServices } from '../audit/services.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory audit --arch arm64|x86_64 [--console SPEC] [--json]
       gen-purgatory audit --diff OLD_DIR NEW_DIR [--json]

Reports what the blob can do to the machine: every privileged instruction (system
registers, barriers, cache and TLB maintenance, HVC/SMC, control registers, port I/O,
MSRs…) with its function and source line; every MMIO access; each function's stack
frame and the worst-case stack depth against the blob's stack; the UEFI services and
protocols, implemented or unsupported. See docs/audit.md.

With --diff, compares two output directories written by 'gen-purgatory --arch A -o DIR'
(purgatory.bin, .elf, .lst, manifest.json): privileged instructions, MMIO sites and
functions added, removed or changed, and the sizes and stack figures.

  --arch A        build the blob for A (as generation does) and audit it
  --console SPEC  the built-in console, as for generation
  --diff OLD NEW  compare two output directories
  --json          the same facts as JSON

Exit code 0, or 2 when the stack could overflow or cannot be bounded (the report says
why) or a directory is not a generated output.
`;

async function auditArch(target: Target, consoleSpec: string | undefined): Promise<FullReport> {
  // Loaded here: generation pulls in the compiler and keystone, which --diff needs not.
  const { buildBlob } = await import('../blob/build.ts');
  const spec = consoleSpec ?? target.defaultConsole;
  const a = await buildBlob(target, parseConsoleSpec(spec), spec, undefined, { stackCheck: false });
  const report = auditBlob(a.audit, target.audit);
  return { ...report, services: uefiServices(a.audit.symbols) };
}

function targetOf(arch: string, dir: string): Target {
  try {
    return targetByName(arch);
  } catch {
    throw new GenError(`${resolve(dir, 'manifest.json')}: field arch: '${arch}' is not an architecture this version knows`);
  }
}

async function auditDir(dir: string): Promise<AuditReport> {
  const blob = await blobFromDir(dir, (arch) => targetOf(arch, dir).disasm);
  return auditBlob(blob, targetOf(blob.arch, dir).audit);
}

async function diff(oldDir: string, newDir: string, json: boolean): Promise<number> {
  const d = diffReports(await auditDir(oldDir), await auditDir(newDir), oldDir, newDir);
  process.stdout.write(json ? `${JSON.stringify(d, null, 2)}\n` : renderDiff(d, oldDir, newDir));
  return 0;
}

export const audit: Command = {
  name: 'audit',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parse(args, {
      arch: { type: 'string' }, console: { type: 'string' }, diff: { type: 'boolean' }, json: { type: 'boolean' },
    }, 'audit');
    const json = values.json === true;
    if (values.diff === true) {
      if (positionals.length !== 2 || values.arch !== undefined) throw new UsageError('audit --diff: expected OLD_DIR NEW_DIR and no --arch (try --help)');
      return diff(positionals[0], positionals[1], json);
    }
    if (positionals.length) throw new UsageError(`audit: unexpected argument '${positionals[0]}' (try --help)`);
    const report = await auditArch(targetByName(values.arch as string | undefined), values.console as string | undefined);
    process.stdout.write(json ? renderJson(report) : renderText(report));
    if (report.problems.length) process.stderr.write(`gen-purgatory: audit: the stack check fails: ${report.problems[0]}\n`);
    return report.problems.length ? 2 : 0;
  },
};
