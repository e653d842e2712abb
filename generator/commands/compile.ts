// `gen-purgatory compile FILE --arch A [--run | --host] [-S]`: the subset compiler alone.
import { parse } from '../args.ts';
import { UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { check, assemblyFor, runCompiledOutput, runHost } from '../compiler/driver.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory compile FILE --arch arm64|x86_64 [--run | --host] [-S]

Compiles a module of the boot subset (docs/subset.md) and everything it imports.
Reports every diagnostic of the run as file(line,col): error PGnnnn: message.

  --run   build a Linux user-mode executable that calls the exported main() and run it
          (arm64 under qemu-aarch64, x86_64 natively); prints the result in decimal
  --host  run main() on the host runtime instead; prints the result in decimal
  -S      print the assembly, each instruction annotated with its source line
`;

export const compile: Command = {
  name: 'compile',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values: v, positionals } = parse(args, {
      arch: { type: 'string' }, run: { type: 'boolean' }, host: { type: 'boolean' }, S: { type: 'boolean', short: 'S' },
    }, 'compile');
    if (positionals.length !== 1) throw new UsageError('compile: exactly one FILE is required (try --help)');
    if (v.run && v.host) throw new UsageError('compile: --run and --host exclude each other');
    const file = positionals[0];
    if (v.host) {
      process.stdout.write(`${await runHost(file)}\n`);
      return 0;
    }
    const target = targetByName(v.arch as string | undefined);
    if (v.run) {
      process.stdout.write(`${await runCompiledOutput(file, target.name)}\n`);
      return 0;
    }
    const c = check(file);
    const { code, data, bss } = assemblyFor(c, target);
    const asm = [...code, ...data, ...bss];
    if (v.S) process.stdout.write(asm.join('\n') + '\n');
    else process.stdout.write(`${file}: ${c.program.funcs.length} function(s), ${asm.length} assembly lines for ${target.name}\n`);
    return 0;
  },
};
