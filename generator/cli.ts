// Command-line entry: picks a command, parses its options, turns every GenError into
// one line on stderr and an exit code.
import { GenError, UsageError, EXIT_RUNTIME } from './errors.ts';
import { commands, type CommandEntry } from './commands.ts';
import { VERSION } from './version.ts';

const TOP_USAGE = `usage: gen-purgatory --arch arm64|x86_64 [--console SPEC] [-o DIR]
       gen-purgatory inspect FILE [--json]
       gen-purgatory plan IMAGE [--initrd F] [--append S] [--dtb F | --e820 F] [--json]
       gen-purgatory wrap IMAGE [-o FILE] [--console SPEC] [--blob F]
       gen-purgatory qemu --arch A IMAGE [--initrd F] [--append S] [--el2] [--memory SIZE] [--timeout S]
       gen-purgatory compile FILE --arch A [--run | --host] [-S]
       gen-purgatory audit --arch A [--json] | audit --diff OLD_DIR NEW_DIR [--json]

Generates the gen-purgatory blob (UEFI boot-services emulator for kexec) and plans and
runs kexec boots of PE-format Linux kernels. 'gen-purgatory COMMAND --help' for details.
`;

function pick(argv: string[]): { command: CommandEntry; args: string[] } {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    const command = commands.find((c) => c.name === first);
    if (!command) throw new UsageError(`unknown command '${first}' (try --help)`);
    return { command, args: argv.slice(1) };
  }
  const generate = commands.find((c) => c.name === 'generate');
  if (!generate) throw new Error('generate command missing');
  return { command: generate, args: argv };
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
      process.stdout.write(TOP_USAGE);
      return argv.length === 0 ? 64 : 0;
    }
    if (argv[0] === '--version' || argv[0] === '-V') {
      process.stdout.write(`gen-purgatory ${VERSION}\n`);
      return 0;
    }
    const { command: entry, args } = pick(argv);
    const command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(command.usage);
      return 0;
    }
    return await command.run(args);
  } catch (err) {
    if (err instanceof GenError) {
      process.stderr.write(`gen-purgatory: ${err.message}\n`);
      return err.exitCode;
    }
    const what = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    process.stderr.write(`gen-purgatory: internal error: ${what}\n`);
    return EXIT_RUNTIME;
  }
}
