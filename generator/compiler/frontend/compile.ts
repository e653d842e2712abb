// The front end's entry: loads a subset module and everything it imports with
// TypeScript itself, reports TypeScript's errors and ours together, and lowers every
// function to IR.
import { Project, Node, ts, type SourceFile, type Diagnostic as TsDiagnostic } from './tsmorph.ts';
import { relative, resolve } from 'node:path';
import type { Program } from '../ir.ts';
import { normalise, type Diagnostic } from '../diagnostics.ts';
import { Diagnostics } from './builder.ts';
import type { Binding } from './scope.ts';
import { declareModule, modulePrefix, type ModuleInfo, type ModuleState } from './module.ts';
import { lowerFunction } from './stmt.ts';
import { peephole } from '../peephole.ts';
import { INT_TYPES, type ValueType } from './types.ts';
import type { WrapMap } from './expr.ts';
import { PACKAGE_ROOT } from '../../paths.ts';

const ROOT = PACKAGE_ROOT;
const RT_DIR = resolve(ROOT, 'templates/rt');

export interface Compiled {
  program: Program;
  /** Present when the entry module exports `main`. */
  main?: { symbol: string; ret: ValueType };
  diagnostics: Diagnostic[];
  /** Source text of every file a diagnostic may name, by display name. */
  texts: Map<string, string>;
  wraps: WrapMap;
  modules: ModuleInfo[];
}

/** Paths relative to the project, so listings read the same on every machine. */
export const displayName = (file: string): string => relative(ROOT, file) || file;

const isRuntime = (f: SourceFile): boolean => resolve(f.getFilePath()).startsWith(RT_DIR + '/');

/** Binds the names exported by templates/rt: conversions and intrinsics. */
function bindRuntime(f: SourceFile, bindings: Map<Node, Binding>): void {
  const isTypes = f.getBaseName() === 'types.ts';
  for (const s of f.getStatements()) {
    const decls: [Node, string][] = Node.isVariableStatement(s) ? s.getDeclarations().map((d) => [d, d.getName()])
      : Node.isFunctionDeclaration(s) && s.getName() ? [[s, s.getName() as string]] : [];
    for (const [d, name] of decls) {
      if (isTypes && INT_TYPES[name]) bindings.set(d, { kind: 'cast', type: INT_TYPES[name] });
      else if (!isTypes) bindings.set(d, { kind: 'intrinsic', name });
    }
  }
}

function tsDiagnostic(d: TsDiagnostic): Diagnostic | undefined {
  const f = d.getSourceFile();
  if (!f) return undefined;
  const text = ts.flattenDiagnosticMessageText(d.getMessageText() as Parameters<typeof ts.flattenDiagnosticMessageText>[0], ' ');
  const start = d.getStart() ?? 0;
  return { code: `TS${d.getCode()}`, message: text, file: displayName(f.getFilePath()), start, end: start + (d.getLength() ?? 1) };
}

export class Compiler {
  private readonly project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true, noEmit: true, allowImportingTsExtensions: true, noImplicitReturns: true, types: [],
      lib: ['lib.es2022.d.ts'],
    },
    skipAddingFilesFromTsConfig: true,
  });

  compile(entryPath: string): Compiled {
    const entry = this.project.addSourceFileAtPath(resolve(entryPath));
    this.project.resolveSourceFileDependencies();
    const files = [entry, ...this.dependencies(entry)];
    const diag = new Diagnostics(displayName);
    const st: ModuleState = { bindings: new Map(), data: [], diag, later: [] };
    const taken = new Set<string>();
    const modules: ModuleInfo[] = [];
    for (const f of files) {
      if (isRuntime(f)) bindRuntime(f, st.bindings);
      else modules.push({ file: f, prefix: modulePrefix(f.getFilePath(), taken), functions: [] });
    }
    modules.forEach((m) => declareModule(st, m));
    st.later.forEach((f) => f());
    const wraps: WrapMap = new Map();
    const funcs = modules.flatMap((m) => m.functions.map(({ decl, symbol }) => {
      const b = st.bindings.get(decl);
      if (b?.kind !== 'func' || !Node.isFunctionDeclaration(decl)) throw new Error('internal: unbound function');
      return peephole(lowerFunction(decl, symbol, displayName(m.file.getFilePath()), b, st.bindings, diag, wraps));
    }));
    const tsDiags = modules.flatMap((m) => m.file.getPreEmitDiagnostics().map(tsDiagnostic).filter((d): d is Diagnostic => !!d));
    const mainDecl = modules[0]?.file.getFunction('main');
    const mainBinding = mainDecl ? st.bindings.get(mainDecl) : undefined;
    return {
      program: { funcs, data: st.data },
      main: mainBinding?.kind === 'func' ? { symbol: mainBinding.symbol, ret: mainBinding.ret } : undefined,
      diagnostics: normalise([...tsDiags, ...diag.list]),
      texts: new Map(files.map((f) => [displayName(f.getFilePath()), f.getFullText()])),
      wraps,
      modules,
    };
  }

  /** Every file reachable through imports, each once, in a stable order. */
  private dependencies(entry: SourceFile): SourceFile[] {
    const seen = new Set<SourceFile>([entry]);
    const order: SourceFile[] = [];
    const visit = (f: SourceFile): void => {
      for (const imp of [...f.getImportDeclarations(), ...f.getExportDeclarations()]) {
        const dep = imp.getModuleSpecifierSourceFile();
        if (dep && !seen.has(dep)) {
          seen.add(dep);
          order.push(dep);
          visit(dep);
        }
      }
    };
    visit(entry);
    return order;
  }
}
