// `gen-purgatory --arch A [--console SPEC] [-o DIR]`: writes the blob and its companions.
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '../args.ts';
import { GenError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { parseConsoleSpec } from '../loader/console.ts';
import { buildBlob } from '../blob/build.ts';
import { renderCSource } from '../blob/c-source.ts';
import { VERSION } from '../version.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory --arch arm64|x86_64 [--console SPEC] [-o DIR]
       gen-purgatory --arch arm64|x86_64 [--console SPEC] --format c -o DIR

Writes DIR (default out/<arch>/): purgatory.bin (the blob), purgatory.elf (same bytes
with symbols), purgatory.lst (listing) and manifest.json. Output is byte-identical on
every run and machine.

With --format c, writes only gen-purgatory-<arch>.c (the blob's bytes) and
gen-purgatory-<arch>.h (its header fields and the wrapped image's layout) into DIR,
leaving other files there alone: generated source for a loader's build
(docs/kexec-tools.md).

  --arch A        arm64 or x86_64
  --console SPEC  built-in console used when the handoff block names none:
                  pl011,0x9000000 | 16550,io,0x3f8 | 16550,mmio,ADDR[,shift=N][,width=N] | none
                  (default: pl011,0x9000000 on arm64, 16550,io,0x3f8 on x86_64)
  --format F      bin (default) or c
  -o, --output D  output directory
`;

/** Writes each file through a temporary name in `dir`, which may hold other files. */
function writeBeside(dir: string, files: Record<string, string>): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, data] of Object.entries(files)) {
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(dir, name));
    }
  } catch (err) {
    throw new GenError(`cannot write ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Writes all files into a temporary directory first so a failure leaves nothing half-written. */
function writeAll(dir: string, files: Record<string, Uint8Array | string>): void {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new GenError(`cannot write ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export const generate: Command = {
  name: 'generate',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parse(args, {
      arch: { type: 'string' }, console: { type: 'string' }, output: { type: 'string', short: 'o' },
      format: { type: 'string' },
    }, 'gen-purgatory');
    if (positionals.length) throw new GenError(`unexpected argument '${positionals[0]}' (try --help)`, 64);
    const format = (values.format as string | undefined) ?? 'bin';
    if (format !== 'bin' && format !== 'c') throw new GenError(`--format: '${format}' is neither bin nor c`, 64);
    // A loader's tree is no default place to write into: the caller names it.
    if (format === 'c' && values.output === undefined) throw new GenError('--format c needs -o DIR', 64);
    const target = targetByName(values.arch as string | undefined);
    const spec = (values.console as string | undefined) ?? target.defaultConsole;
    const a = await buildBlob(target, parseConsoleSpec(spec), spec);
    if (format === 'c') {
      const dir = resolve(values.output as string);
      const c = renderCSource({ arch: target.name, bin: a.bin, header: a.header, version: VERSION, consoleSpec: spec });
      writeBeside(dir, { [c.headerName]: c.header, [c.sourceName]: c.source });
      process.stdout.write(`wrote ${dir}: ${c.sourceName}, ${c.headerName} (blob ${a.bin.length} bytes, build id ${a.header.buildId.slice(0, 16)})\n`);
      return 0;
    }
    const dir = resolve((values.output as string | undefined) ?? join('out', target.name));
    writeAll(dir, { 'purgatory.bin': a.bin, 'purgatory.elf': a.elf, 'purgatory.lst': a.listing, 'manifest.json': a.manifest });
    process.stdout.write(`wrote ${dir}: purgatory.bin ${a.bin.length} bytes (memory ${a.header.memSize}), entry 0x${a.header.entryOffset.toString(16)}, build id ${a.header.buildId.slice(0, 16)}\n`);
    return 0;
  },
};
