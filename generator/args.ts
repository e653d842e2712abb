// Thin wrapper over node:util parseArgs that turns its errors into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: Options, command: string): Parsed {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (err) {
    const what = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${command}: ${what.split('\n')[0]}`);
  }
}

/** Parses sizes such as 1G, 512M, 0x1000 or 4096. */
export function parseSize(text: string, what: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([KMG]i?B?)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`${what}: '${text}' is not a size (examples: 1G, 512M, 0x100000)`);
  const unit = (m[2] ?? '').toUpperCase()[0];
  const shift = unit === 'K' ? 10 : unit === 'M' ? 20 : unit === 'G' ? 30 : 0;
  return Number(BigInt(m[1]) << BigInt(shift));
}

export function parseNumber(text: string, what: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new UsageError(`${what}: '${text}' is not a number`);
  return Number(BigInt(text));
}
