// Module level: functions, globals, constants, static data and struct layouts. Each
// declaration becomes a binding that function bodies resolve names to.
import { Node, SyntaxKind, type SourceFile, type VariableDeclaration, type CallExpression } from './tsmorph.ts';
import { basename } from 'node:path';
import type { Datum } from '../ir.ts';
import type { Diagnostics } from './builder.ts';
import type { Binding } from './scope.ts';
import { annotated } from './stmt.ts';
import { literalValue } from './expr.ts';
import { declarationOf } from './scope.ts';
import { DATA_INTRINSICS } from './intrinsics.ts';
import { guidBytes } from '../../../templates/rt/intrinsics.ts';
import { INT_TYPES, U64, bits64, fits, type IntType, type ValueType } from './types.ts';

export interface ModuleInfo {
  file: SourceFile;
  prefix: string;
  functions: { decl: Node; symbol: string }[];
}

export interface ModuleState {
  bindings: Map<Node, Binding>;
  data: Datum[];
  diag: Diagnostics;
  /** Work that needs every module's functions bound first (fntable entries). */
  later: (() => void)[];
}

/** Assembler-safe module prefix from the file name. */
export function modulePrefix(file: string, taken: Set<string>): string {
  const base = basename(file).replace(/\.ts$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  let name = /^[A-Za-z_]/.test(base) ? base : `m_${base}`;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

const FOLD: Partial<Record<SyntaxKind, (a: bigint, b: bigint) => bigint>> = {
  [SyntaxKind.PlusToken]: (a, b) => a + b, [SyntaxKind.MinusToken]: (a, b) => a - b,
  [SyntaxKind.AsteriskToken]: (a, b) => a * b, [SyntaxKind.SlashToken]: (a, b) => (b === 0n ? 0n : a / b),
  [SyntaxKind.PercentToken]: (a, b) => (b === 0n ? 0n : a % b), [SyntaxKind.LessThanLessThanToken]: (a, b) => a << (b & 63n),
  [SyntaxKind.GreaterThanGreaterThanToken]: (a, b) => a >> (b & 63n), [SyntaxKind.AmpersandToken]: (a, b) => a & b,
  [SyntaxKind.BarToken]: (a, b) => a | b, [SyntaxKind.CaretToken]: (a, b) => a ^ b,
};

/**
 * A compile-time constant: literals, earlier module constants, and arithmetic on them
 * (exact, as the host computes module initialisers before any wrap applies).
 */
function constant(st: ModuleState, n: Node | undefined): bigint | undefined {
  if (!n) return undefined;
  const lit = literalValue(n);
  if (lit !== undefined) return lit;
  if (Node.isParenthesizedExpression(n)) return constant(st, n.getExpression());
  if (Node.isIdentifier(n)) {
    const decl = declarationOf(n);
    const b = decl ? st.bindings.get(decl) : undefined;
    return b?.kind === 'const' ? b.value : undefined;
  }
  if (Node.isPrefixUnaryExpression(n)) {
    const v = constant(st, n.getOperand());
    const op = n.getOperatorToken();
    if (v === undefined) return undefined;
    return op === SyntaxKind.MinusToken ? -v : op === SyntaxKind.TildeToken ? ~v : op === SyntaxKind.PlusToken ? v : undefined;
  }
  if (Node.isBinaryExpression(n)) {
    const f = FOLD[n.getOperatorToken().getKind()];
    const [a, b] = [constant(st, n.getLeft()), constant(st, n.getRight())];
    return f && a !== undefined && b !== undefined ? f(a, b) : undefined;
  }
  return undefined;
}

function le(value: bigint, width: number): number[] {
  return Array.from({ length: width }, (_, i) => Number((bits64(value) >> BigInt(8 * i)) & 0xffn));
}

function stringArg(st: ModuleState, call: CallExpression, what: string): string | undefined {
  const a = call.getArguments()[0];
  if (a && (Node.isStringLiteral(a) || Node.isNoSubstitutionTemplateLiteral(a))) return a.getLiteralValue();
  st.diag.report(call, 'dataArgument', `${what}() takes one string literal`);
  return undefined;
}

/** Bytes and alignment of a data intrinsic call, or undefined after reporting. */
function dataBytes(st: ModuleState, call: CallExpression, name: string): { bytes: number[]; align: number; writable: boolean; zero?: boolean } | undefined {
  const args = call.getArguments();
  if (name === 'ascii' || name === 'ucs2') {
    const s = stringArg(st, call, name);
    if (s === undefined) return undefined;
    if (name === 'ascii') return { bytes: [...Buffer.from(s, 'latin1'), 0], align: 1, writable: false };
    return { bytes: [...s].flatMap((ch) => le(BigInt(ch.charCodeAt(0)), 2)).concat([0, 0]), align: 2, writable: false };
  }
  if (name === 'guid') {
    const s = stringArg(st, call, name);
    const bytes = s === undefined ? undefined : guidBytes(s);
    if (!bytes) return void (s !== undefined && st.diag.report(call, 'dataArgument', `'${s}' is not a GUID`));
    return { bytes, align: 8, writable: false };
  }
  if (name === 'zeroed') {
    const size = constant(st, args[0]);
    if (size === undefined || size < 0n) return void st.diag.report(call, 'dataArgument', 'zeroed() takes a constant size');
    const align = args[1] ? constant(st, args[1]) : 16n;
    if (!align || (align & (align - 1n)) !== 0n) return void st.diag.report(call, 'dataArgument', 'zeroed() alignment must be a power of two');
    return { bytes: new Array<number>(Number(size)).fill(0), align: Number(align), writable: true, zero: true };
  }
  // The width is a plain number in rt's signature: table(4, [1n, 2n]).
  const width = args[0] && Node.isNumericLiteral(args[0]) ? BigInt(args[0].getLiteralValue()) : constant(st, args[0]);
  const list = args[1];
  if (!width || ![1n, 2n, 4n, 8n].includes(width) || !list || !Node.isArrayLiteralExpression(list)) {
    return void st.diag.report(call, 'dataArgument', 'table() takes a width (1, 2, 4 or 8) and an array of constants');
  }
  const bytes = list.getElements().flatMap((e) => {
    const v = constant(st, e);
    if (v === undefined) st.diag.report(e, 'recursionInConst', e.getText());
    return le(v ?? 0n, Number(width));
  });
  return { bytes, align: Number(width), writable: true };
}

const WIDTH_OF: Record<string, bigint> = { u8: 1n, u16: 2n, u32: 4n, u64: 8n, i8: 1n, i16: 2n, i32: 4n, i64: 8n, ptr: 8n };

function structLayout(st: ModuleState, call: CallExpression): Binding {
  const fields = new Map<string, bigint>();
  let off = 0n;
  let max = 1n;
  const obj = call.getArguments()[0];
  if (!obj || !Node.isObjectLiteralExpression(obj)) st.diag.report(call, 'dataArgument', 'struct() takes { field: type, … }');
  else for (const p of obj.getProperties()) {
    const init = Node.isPropertyAssignment(p) ? p.getInitializer()?.getText() : Node.isShorthandPropertyAssignment(p) ? p.getName() : undefined;
    const w = init ? WIDTH_OF[init] : undefined;
    if (!w || !Node.isPropertyNamed(p)) { st.diag.report(p, 'dataArgument', 'a struct field is name: u8..u64, i8..i64 or ptr'); continue; }
    off = ((off + w - 1n) / w) * w;
    fields.set(p.getName(), off);
    off += w;
    if (w > max) max = w;
  }
  return { kind: 'struct', fields, size: ((off + max - 1n) / max) * max };
}

/** fntable([f, g, …]): the entries are resolved once every module's functions are bound. */
function fnTable(st: ModuleState, call: CallExpression, symbol: string, d: VariableDeclaration): void {
  const list = call.getArguments()[0];
  const ids = list && Node.isArrayLiteralExpression(list) ? list.getElements() : undefined;
  if (!ids || ids.length === 0 || call.getArguments().length !== 1) {
    return void st.diag.report(call, 'dataArgument', 'fntable() takes a non-empty array of module functions');
  }
  const datum: Datum = { symbol, align: 4, bytes: new Uint8Array(4 * ids.length), writable: false, fns: [] };
  st.data.push(datum);
  st.bindings.set(d, { kind: 'data', symbol });
  st.later.push(() => {
    for (const id of ids) {
      const decl = Node.isIdentifier(id) ? declarationOf(id) : undefined;
      const b = decl ? st.bindings.get(decl) : undefined;
      if (b?.kind === 'func') datum.fns?.push(b.symbol);
      else st.diag.report(id, 'dataArgument', `fntable() entries are module functions, not '${id.getText()}'`);
    }
  });
}

function constDecl(st: ModuleState, d: VariableDeclaration, symbol: string): void {
  const init = d.getInitializer();
  if (init && Node.isCallExpression(init)) {
    const name = init.getExpression().getText();
    if (name === 'struct') return void st.bindings.set(d, structLayout(st, init));
    if (name === 'fntable') return fnTable(st, init, symbol, d);
    if (DATA_INTRINSICS.has(name)) {
      const data = dataBytes(st, init, name);
      if (data) st.data.push({ symbol, align: data.align, bytes: Uint8Array.from(data.bytes), writable: data.writable, zero: data.zero });
      return void st.bindings.set(d, { kind: 'data', symbol });
    }
  }
  const value = constant(st, init);
  const t = (d.getTypeNode() ? annotated(st.diag, d.getTypeNode(), `'${d.getName()}'`, d) : U64) as ValueType | undefined;
  if (value === undefined || t?.kind !== 'int') return void st.diag.report(d, 'moduleInit', `const '${d.getName()}'`);
  if (!fits(value, t)) st.diag.report(init as Node, 'literalRange', value.toString(), t.name);
  st.bindings.set(d, { kind: 'const', value, type: t });
}

function globalDecl(st: ModuleState, d: VariableDeclaration, symbol: string): void {
  const t = annotated(st.diag, d.getTypeNode(), `global '${d.getName()}'`, d);
  const init = d.getInitializer();
  const value = init ? constant(st, init) : 0n;
  if (value === undefined) st.diag.report(init as Node, 'moduleInit', `let '${d.getName()}'`);
  if (t?.kind !== 'int') {
    if (t) st.diag.report(d, 'moduleInit', `let '${d.getName()}' of type boolean`);
    return;
  }
  if (!fits(value ?? 0n, t)) st.diag.report(init as Node, 'literalRange', String(value), t.name);
  st.data.push({ symbol, align: t.width, bytes: Uint8Array.from(le(value ?? 0n, t.width)), writable: true });
  st.bindings.set(d, { kind: 'global', symbol, type: t as IntType });
}

/** Registers every module-level declaration of `info.file`. */
export function declareModule(st: ModuleState, info: ModuleInfo): void {
  for (const s of info.file.getStatements()) {
    if (Node.isImportDeclaration(s) || Node.isEmptyStatement(s)) continue;
    if (Node.isExportDeclaration(s) && s.getModuleSpecifier()) continue; // re-export: compiled with its module
    if (Node.isFunctionDeclaration(s)) {
      const name = s.getName();
      if (!name) continue;
      const symbol = `${info.prefix}__${name}`;
      info.functions.push({ decl: s, symbol });
      const params = s.getParameters().map((p) => annotated(st.diag, p.getTypeNode(), `parameter '${p.getName()}'`, p) ?? INT_TYPES.u64);
      if (params.length > 16) st.diag.report(s, 'tooManyParams', name, String(params.length));
      const ret = annotated(st.diag, s.getReturnTypeNode(), `the return type of '${name}'`, s) ?? U64;
      st.bindings.set(s, { kind: 'func', symbol, params, ret });
    } else if (Node.isVariableStatement(s)) {
      const isConst = s.getDeclarationKind() === 'const';
      for (const d of s.getDeclarations()) {
        const symbol = `${info.prefix}__${d.getName()}`;
        if (isConst) constDecl(st, d, symbol);
        else globalDecl(st, d, symbol);
      }
    } else {
      const what = Node.isClassDeclaration(s) ? 'a class' : `a ${s.getKindName()}`;
      st.diag.report(s, Node.isClassDeclaration(s) ? 'classDecl' : 'moduleStatement', what);
    }
  }
}
