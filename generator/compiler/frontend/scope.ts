// What a name means to the compiler: a local slot, a global, a constant, static data, a
// struct layout, a function, an intrinsic or a conversion. Names resolve through
// TypeScript's own symbols, so imports and shadowing behave exactly as in TypeScript.
import { Node } from './tsmorph.ts';
import type { IntType, ValueType } from './types.ts';

export type Binding =
  | { kind: 'local'; slot: number; type: ValueType }
  | { kind: 'global'; symbol: string; type: IntType }
  | { kind: 'const'; value: bigint; type: IntType }
  | { kind: 'data'; symbol: string }
  | { kind: 'struct'; fields: Map<string, bigint>; size: bigint }
  | { kind: 'func'; symbol: string; params: ValueType[]; ret: ValueType }
  | { kind: 'intrinsic'; name: string }
  | { kind: 'cast'; type: IntType };

/** Declarations → bindings, for module-level names (shared) and one function's locals. */
export class Scope {
  private readonly locals = new Map<Node, Binding>();
  constructor(private readonly module: Map<Node, Binding>) {}

  bindLocal(decl: Node, b: Binding): void {
    this.locals.set(decl, b);
  }

  /** The binding of an identifier, following import aliases to the declaration. */
  resolve(id: Node): Binding | undefined {
    let sym = id.getSymbol();
    if (sym?.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
    for (const decl of sym?.getDeclarations() ?? []) {
      const b = this.locals.get(decl) ?? this.module.get(decl);
      if (b) return b;
    }
    return undefined;
  }
}

/** The declaration an identifier refers to, if TypeScript knows it. */
export function declarationOf(id: Node): Node | undefined {
  let sym = id.getSymbol();
  if (sym?.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  return sym?.getDeclarations()[0];
}

export function isIdentifier(n: Node): boolean {
  return Node.isIdentifier(n);
}
