// The command table: one entry per CLI command, each in its own module. Modules load
// only when their command runs: several pull in ts-morph, keystone or capstone, which
// take longer to load than `--version` or `inspect` take to run.

export interface Command {
  name: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'generate', load: async () => (await import('./commands/generate.ts')).generate },
  { name: 'inspect', load: async () => (await import('./commands/inspect.ts')).inspect },
  { name: 'plan', load: async () => (await import('./commands/plan.ts')).plan },
  { name: 'qemu', load: async () => (await import('./commands/qemu.ts')).qemu },
  { name: 'compile', load: async () => (await import('./commands/compile.ts')).compile },
  { name: 'wrap', load: async () => (await import('./commands/wrap.ts')).wrap },
  { name: 'audit', load: async () => (await import('./commands/audit.ts')).audit },
];
