// The early console the blob writes to: what the handoff block (or a --console default
// baked in at generation time) tells it. Discovered from the DT by formats/fdt.ts, or
// given by the user as a --console SPEC parsed here.
import { UsageError } from '../errors.ts';

/** A UART the blob can drive without any firmware help. */
export interface ConsoleDesc {
  kind: 'pl011' | '16550';
  /** 'io' is x86 port I/O (in/out instructions); 'mmio' is a physical address. */
  space: 'mmio' | 'io';
  base: bigint;
  /** Register i lives at base + (i << regShift). */
  regShift: number;
  /** Access width in bytes: 1, 2 or 4. */
  regWidth: number;
  /** Line speed to program; absent means keep what the previous kernel left. */
  baud?: number;
}

/** `--console none`: the blob stays silent. */
export interface NoConsole {
  kind: 'none';
}

export type ConsoleChoice = ConsoleDesc | NoConsole;

const EXAMPLES =
  'pl011,0x9000000 | pl011@0x9000000 | 16550,io,0x3f8 | 16550,mmio,0xfe215040,shift=2,width=4,baud=115200 | none';

function bad(spec: string, what: string): never {
  throw new UsageError(`--console ${JSON.stringify(spec)}: ${what} (valid forms: ${EXAMPLES})`);
}

function parseNumber(spec: string, field: string, text: string): bigint {
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(text)) bad(spec, `${field} ${JSON.stringify(text)} is not a number`);
  return BigInt(text);
}

interface Options {
  shift?: number;
  width?: number;
  baud?: number;
}

/** `key=value` options after the base address. */
function parseOptions(spec: string, items: string[]): Options {
  const opts: Options = {};
  for (const item of items) {
    const m = /^(shift|width|baud)=(.*)$/.exec(item);
    if (!m) bad(spec, `unknown option ${JSON.stringify(item)}; expected shift=, width= or baud=`);
    const key = m[1] as keyof Options;
    if (opts[key] !== undefined) bad(spec, `${key}= given twice`);
    opts[key] = Number(parseNumber(spec, key, m[2]));
  }
  if (opts.shift !== undefined && opts.shift > 3) bad(spec, `shift=${opts.shift}: must be 0..3`);
  if (opts.width !== undefined && ![1, 2, 4].includes(opts.width)) bad(spec, `width=${opts.width}: must be 1, 2 or 4`);
  if (opts.baud !== undefined && (opts.baud < 50 || opts.baud > 4_000_000)) {
    bad(spec, `baud=${opts.baud}: must be 50..4000000`);
  }
  return opts;
}

function checkBase(spec: string, c: ConsoleDesc): ConsoleDesc {
  const limit = c.space === 'io' ? 0xffffn : 0xffff_ffff_ffff_ffffn;
  if (c.base > limit) bad(spec, `base 0x${c.base.toString(16)} is beyond the ${c.space} address space`);
  if (c.base % BigInt(c.regWidth) !== 0n) bad(spec, `base is not aligned to width=${c.regWidth}`);
  return c;
}

function pl011(spec: string, base: string, rest: string[]): ConsoleDesc {
  const o = parseOptions(spec, rest);
  if (o.shift !== undefined || o.width !== undefined) bad(spec, 'pl011 takes only baud= (its registers are fixed 32-bit)');
  const c: ConsoleDesc = { kind: 'pl011', space: 'mmio', base: parseNumber(spec, 'base', base), regShift: 0, regWidth: 4 };
  if (o.baud !== undefined) c.baud = o.baud;
  return checkBase(spec, c);
}

function uart16550(spec: string, space: string, base: string | undefined, rest: string[]): ConsoleDesc {
  if (space !== 'io' && space !== 'mmio') bad(spec, '16550 needs the address space: 16550,io,PORT or 16550,mmio,ADDRESS');
  if (base === undefined) bad(spec, 'missing base address');
  const o = parseOptions(spec, rest);
  if (space === 'io' && ((o.shift ?? 0) !== 0 || (o.width ?? 1) !== 1)) {
    bad(spec, 'port I/O 16550 registers are consecutive bytes; shift= and width= apply to mmio only');
  }
  const c: ConsoleDesc = {
    kind: '16550',
    space,
    base: parseNumber(spec, 'base', base),
    regShift: o.shift ?? 0,
    regWidth: o.width ?? 1,
  };
  if (o.baud !== undefined) c.baud = o.baud;
  return checkBase(spec, c);
}

/**
 * Parses `--console SPEC`. Numbers are decimal or 0x-hex; kind and space words are
 * case-insensitive. Throws UsageError naming the problem and the valid forms.
 */
export function parseConsoleSpec(spec: string): ConsoleChoice {
  const trimmed = spec.trim();
  if (trimmed.toLowerCase() === 'none') return { kind: 'none' };
  const [head, ...rest] = trimmed.split(',');
  const at = head.indexOf('@');
  const kind = (at < 0 ? head : head.slice(0, at)).toLowerCase();
  if (kind === 'pl011') {
    if (at >= 0) return pl011(spec, head.slice(at + 1), rest);
    if (rest.length === 0) bad(spec, 'missing base address');
    return pl011(spec, rest[0], rest.slice(1));
  }
  if (kind === '16550') {
    if (at >= 0) bad(spec, "the '@' form is for pl011; write 16550,io,PORT or 16550,mmio,ADDRESS");
    return uart16550(spec, (rest[0] ?? '').toLowerCase(), rest[1], rest.slice(2));
  }
  return bad(spec, `unknown console kind ${JSON.stringify(kind)}`);
}

/** The spec that parses back to `c`, for manifests and messages. */
export function formatConsole(c: ConsoleChoice): string {
  if (c.kind === 'none') return 'none';
  const base = `0x${c.base.toString(16)}`;
  const baud = c.baud !== undefined ? `,baud=${c.baud}` : '';
  if (c.kind === 'pl011') return `pl011,${base}${baud}`;
  const layout = c.space === 'mmio' ? `,shift=${c.regShift},width=${c.regWidth}` : '';
  return `16550,${c.space},${base}${layout}${baud}`;
}

/** Where the console in a plan came from, strongest first. */
export interface ConsoleSources {
  /** `--console SPEC`. */
  option?: ConsoleChoice;
  /** `--spcr FILE`: the ACPI table the first kernel's firmware gave it. */
  spcr?: ConsoleChoice;
  /** The DT's /chosen/stdout-path, or the QEMU machine's own default. */
  machine?: ConsoleChoice;
}

/**
 * The console to put in the handoff block: an explicit --console wins over an SPCR
 * table, which wins over the DT's stdout-path (the DT may describe the hardware while
 * the firmware pointed the first kernel at another port). Undefined: the blob's default.
 */
export function pickConsole(s: ConsoleSources): { console?: ConsoleChoice; source?: keyof ConsoleSources } {
  for (const source of ['option', 'spcr', 'machine'] as const) {
    const c = s[source];
    if (c !== undefined) return { console: c, source };
  }
  return {};
}
