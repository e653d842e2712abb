// The command table: one entry per CLI command, each in its own module.
import { compile } from './commands/compile.ts';
import { generate } from './commands/generate.ts';
import { inspect } from './commands/inspect.ts';
import { plan } from './commands/plan.ts';
import { qemu } from './commands/qemu.ts';
import { wrap } from './commands/wrap.ts';

export interface Command {
  name: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export const commands: Command[] = [generate, inspect, plan, qemu, compile, wrap];
