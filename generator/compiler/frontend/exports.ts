// The entry module's exports as symbols: with the symbols the hand-written assembly
// names, the roots of the blob's dead-code removal (reach.ts).
import { Node } from './tsmorph.ts';
import type { Compiled } from './compile.ts';

/** Symbols of the functions the entry module exports (its own and re-exported ones) and main. */
export function exportedSymbols(c: Compiled): string[] {
  const bySymbol = new Map(c.modules.flatMap((m) => m.functions.map((f) => [f.decl, f.symbol] as const)));
  const entry = c.modules[0]?.file;
  const out = c.main ? [c.main.symbol] : [];
  for (const decls of entry?.getExportedDeclarations().values() ?? []) {
    for (const d of decls) {
      const s = Node.isFunctionDeclaration(d) ? bySymbol.get(d) : undefined;
      if (s) out.push(s);
    }
  }
  return out;
}
