// The UEFI services and protocol members the blob offers, read from templates/: every
// `fntable([...])` (the boot and runtime services tables, SimpleTextOutput) and every
// `fnaddr(f)` stored into an interface. A handler is unsupported when every value it
// returns is EFI_UNSUPPORTED, directly or through a function of which that holds (fail.ts's
// unsupported()); anything else is implemented. Only tables and handlers compiled into
// the blob (their symbols are in it) are listed.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { packagePath } from '../paths.ts';
import { SPEC_SLOT_NAMES } from './spec-names.ts';

export interface ServiceEntry {
  /** Slot in the table, or the interface member. */
  slot: string;
  handler: string;
  /** Where the handler is defined. */
  file: string;
  line: number;
  implemented: boolean;
}

export interface ServiceTable {
  /** EFI_BOOT_SERVICES, or the interface's struct name (LoadFile2, …). */
  name: string;
  file: string;
  entries: ServiceEntry[];
}

interface Fn { body: string; file: string; line: number }
interface Module { name: string; file: string; text: string; fns: Map<string, Fn>; imports: Map<string, string> }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'rt' ? [] : sourceFiles(join(dir, e.name));
    return e.name.endsWith('.ts') ? [join(dir, e.name)] : [];
  }).sort();
}

/** The text between the brace at `open` and its match. */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function parseModule(root: string, path: string): Module {
  const text = readFileSync(path, 'utf8').replace(/\/\/[^\n]*/g, (c) => ' '.repeat(c.length));
  const fns = new Map<string, Fn>();
  for (const m of text.matchAll(/function\s+(\w+)\s*\([^)]*\)[^{]*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    fns.set(m[1], { body: braced(text, open), file: relative(root, path), line: text.slice(0, m.index).split('\n').length });
  }
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\/([\w/-]+)\.ts'/g)) {
    for (const n of m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '')).filter(Boolean)) imports.set(n, basename(m[2]));
  }
  return { name: basename(path, '.ts'), file: relative(root, path), text, fns, imports };
}

type Modules = Map<string, Module>;

function resolve(mods: Modules, mod: Module, name: string): { mod: Module; fn: Fn } | undefined {
  const fn = mod.fns.get(name);
  if (fn) return { mod, fn };
  const from = mods.get(mod.imports.get(name) ?? '');
  return from?.fns.has(name) ? { mod: from, fn: from.fns.get(name) as Fn } : undefined;
}

/** Every return yields EFI_UNSUPPORTED, directly or through such a function. */
function unsupported(mods: Modules, mod: Module, fn: Fn, seen: Set<Fn>): boolean {
  const rets = [...fn.body.matchAll(/return\s+([^;]*);/g)].map((m) => m[1].trim());
  if (rets.length === 0 || seen.has(fn)) return false;
  seen.add(fn);
  return rets.every((r) => {
    if (r === 'EFI_UNSUPPORTED') return true;
    const call = /^(\w+)\(/.exec(r);
    const target = call ? resolve(mods, mod, call[1]) : undefined;
    return target !== undefined && unsupported(mods, target.mod, target.fn, seen);
  });
}

function entry(mods: Modules, mod: Module, slot: string, handler: string): ServiceEntry {
  const r = resolve(mods, mod, handler);
  return {
    slot, handler, file: r?.fn.file ?? mod.file, line: r?.fn.line ?? 0,
    implemented: r ? !unsupported(mods, r.mod, r.fn, new Set()) : true,
  };
}

function tableName(mod: Module, constName: string): string {
  const m = /^\/\/\s*(EFI_[A-Z0-9_]+)/.exec(readFileSync(packagePath(mod.file), 'utf8'));
  return m ? m[1] : `${mod.name}.${constName}`;
}

function fntables(mods: Modules, mod: Module, inBlob: (s: string) => boolean): ServiceTable[] {
  return [...mod.text.matchAll(/const\s+(\w+)\s*=\s*fntable\(\[([^\]]*)\]\)/g)]
    .filter((m) => inBlob(`${mod.name}__${m[1]}`))
    .map((m) => {
      const name = tableName(mod, m[1]);
      const handlers = m[2].split(',').map((s) => s.trim()).filter(Boolean);
      const spec = SPEC_SLOT_NAMES[name]?.length === handlers.length ? SPEC_SLOT_NAMES[name] : undefined;
      return { name, file: mod.file, entries: handlers.map((h, i) => entry(mods, mod, spec ? `${i} ${spec[i]}` : String(i), h)) };
    });
}

/** fnaddr(f) stored into `X + Struct.member`, or passed on: one table per struct. */
function interfaces(mods: Modules, mod: Module, inBlob: (s: string) => boolean): ServiceTable[] {
  const byStruct = new Map<string, ServiceEntry[]>();
  for (const m of mod.text.matchAll(/(?:\+\s*(\w+)\.(\w+)\s*,\s*)?fnaddr\((\w+)\)/g)) {
    const owner = resolve(mods, mod, m[3])?.mod ?? mod;
    if (!inBlob(`${owner.name}__${m[3]}`)) continue;
    const struct = m[1] ?? `${mod.name}.ts`;
    byStruct.set(struct, [...(byStruct.get(struct) ?? []), entry(mods, mod, m[2] ?? 'passed as an argument', m[3])]);
  }
  return [...byStruct].map(([name, entries]) => ({ name, file: mod.file, entries }));
}

/** The services and protocols of templates/ whose code is in the blob. */
export function uefiServices(symbols: ReadonlyMap<string, number>, dir: string = packagePath('templates')): ServiceTable[] {
  const root = packagePath();
  const mods: Modules = new Map(sourceFiles(dir).map((p) => {
    const m = parseModule(root, p);
    return [m.name, m];
  }));
  const inBlob = (s: string): boolean => symbols.has(s);
  return [...mods.values()].flatMap((m) => [...fntables(mods, m, inBlob), ...interfaces(mods, m, inBlob)]);
}
