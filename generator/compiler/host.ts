// The host side of "written once": a subset module runs under Node as the TypeScript it
// is, with one source transform that gives arithmetic the subset's wrap-around (bigint
// arithmetic is exact; the subset's is modulo the type's width) and shift counts modulo
// 64. The types come from the compiler's own lowering, so host and machine code agree
// on what every operator means.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Node, SyntaxKind, ts, type CompilerOptions } from './frontend/tsmorph.ts';
import type { Compiled } from './frontend/compile.ts';
import type { IntType } from './frontend/types.ts';
import { COMPOUND } from './frontend/expr.ts';
import { PACKAGE_ROOT, packagePath } from '../paths.ts';

/**
 * Built (dist/), Node loads no TypeScript: the modules are transpiled here and import the
 * runtime built beside the CLI. From the sources (vitest) they stay TypeScript and share
 * templates/rt with the tests.
 */
const BUILT = import.meta.url.endsWith('.js');
/** The runtime module a module's import of templates/rt/*.ts loads. */
const runtimeModule = (file: string): string =>
  BUILT ? join(PACKAGE_ROOT, 'dist', relative(PACKAGE_ROOT, file)).replace(/\.ts$/, '.js') : file;
const RT_TYPES = runtimeModule(packagePath('templates', 'rt', 'types.ts'));
const TRANSPILE: CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true,
};

/** What gets written for one module: TypeScript as it is, or built, JavaScript. */
function hostModule(path: string, text: string): { path: string; text: string } {
  if (!BUILT) return { path, text };
  return { path: path.replace(/\.ts$/, '.js'), text: ts.transpileModule(text, { compilerOptions: TRANSPILE }).outputText };
}
const WRAPPERS = ['u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64'];
const SHIFTS = new Set(['<<', '>>', '<<=', '>>=']);

const wrapName = (t: IntType): string => `__${t.name === 'ptr' ? 'u64' : t.name}`;

class Printer {
  constructor(private readonly full: string, private readonly wraps: Map<Node, IntType>) {}

  print(n: Node): string {
    const t = this.wraps.get(n);
    if (t) return this.wrapped(n, t);
    const kids = n.getChildren();
    if (kids.length === 0) return n.getText();
    let out = '';
    let pos = n.getStart();
    for (const k of kids) {
      out += this.full.slice(pos, k.getStart()) + this.print(k);
      pos = k.getEnd();
    }
    return out + this.full.slice(pos, n.getEnd());
  }

  private wrapped(n: Node, t: IntType): string {
    const w = wrapName(t);
    if (Node.isBinaryExpression(n)) {
      const op = n.getOperatorToken().getText();
      const [l, r0] = [this.print(n.getLeft()), this.print(n.getRight())];
      const r = SHIFTS.has(op) ? `(${r0}) & 63n` : r0;
      if (COMPOUND[n.getOperatorToken().getKind()]) return `${l} = ${w}((${l}) ${op.slice(0, -1)} (${r}))`;
      return `${w}((${l}) ${op} (${r}))`;
    }
    if (Node.isPrefixUnaryExpression(n) || Node.isPostfixUnaryExpression(n)) {
      const x = this.print(n.getOperand());
      const op = n.getOperatorToken();
      if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) {
        return `${x} = ${w}((${x}) ${op === SyntaxKind.PlusPlusToken ? '+' : '-'} 1n)`;
      }
      return `${w}(${op === SyntaxKind.MinusToken ? '-' : '~'}(${x}))`;
    }
    return n.getText();
  }
}

/** `to` as an import specifier relative to the module `from` (copies keep their relative layout). */
function relativeImport(from: string, to: string): string {
  const r = relative(dirname(resolve(from)), to);
  return r.startsWith('.') ? r : `./${r}`;
}

/** Writes the transformed modules into a fresh directory `dir`; `entry` is the entry's path. */
export function writeHostModules(c: Compiled): { dir: string; entry: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gp-host-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n'); // ES modules, as in the project
  const files = c.modules.map((m) => resolve(m.file.getFilePath()));
  // The deepest directory holding every module, so relative imports keep working.
  let root = dirname(files[0]);
  // At / every path is inside (and dirname('/') is '/', so the loop must stop there).
  while (root !== '/' && !files.every((f) => f.startsWith(root + '/'))) root = dirname(root);
  for (const m of c.modules) {
    const sf = m.file;
    const text = new Printer(sf.getFullText(), c.wraps).print(sf);
    const rewritten = sf.getImportDeclarations().reduce((acc, imp) => {
      const dep = imp.getModuleSpecifierSourceFile();
      const abs = dep ? resolve(dep.getFilePath()) : undefined;
      if (!abs) return acc;
      const spec = imp.getModuleSpecifier().getText();
      // Imports of templates/rt point at the real files, which are not copied.
      if (!files.includes(abs)) return acc.replace(spec, JSON.stringify(runtimeModule(abs)));
      // An absolute import would load the original, untransformed module: point it at the copy.
      return isAbsolute(imp.getModuleSpecifierValue()) ? acc.replace(spec, JSON.stringify(relativeImport(sf.getFilePath(), abs))) : acc;
    }, text);
    const header = `import { ${WRAPPERS.map((x) => `${x} as __${x}`).join(', ')} } from ${JSON.stringify(RT_TYPES)};\n`;
    const out = hostModule(join(dir, relative(root, resolve(sf.getFilePath()))), header + rewritten);
    mkdirSync(dirname(out.path), { recursive: true });
    writeFileSync(out.path, out.text);
  }
  return { dir, entry: hostModule(join(dir, relative(root, files[0])), '').path };
}

/** The entry module's exports, running on the host over templates/rt. */
export async function loadOnHost(c: Compiled): Promise<Record<string, unknown>> {
  const { dir, entry } = writeHostModules(c);
  try {
    return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true }); // loaded: the module graph is in memory
  }
}

/** Runs the entry module's main() on the host; returns its result. */
export async function runOnHost(c: Compiled): Promise<bigint> {
  const mod = (await loadOnHost(c)) as { main?: () => bigint | boolean };
  if (typeof mod.main !== 'function') throw new Error('the module exports no main()');
  const r = mod.main();
  return typeof r === 'boolean' ? (r ? 1n : 0n) : r;
}
