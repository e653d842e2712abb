// Lowers expressions to the stack machine. Every expression leaves its value in A,
// normalised to its type; `want` is the type the context expects (it types literals).
import { Node, SyntaxKind, type Expression } from './tsmorph.ts';
import type { BinOp, Cond } from '../ir.ts';
import type { FuncBuilder, Diagnostics } from './builder.ts';
import type { Scope, Binding } from './scope.ts';
import { BOOL, U64, INT_TYPES, bits64, fits, sameInt, typeName, type IntType, type ValueType } from './types.ts';
import { lowerIntrinsic, intrinsicType } from './intrinsics.ts';

/** Arithmetic nodes and their type, for the host transform that inserts wrap-around. */
export type WrapMap = Map<Node, IntType>;

export interface Ctx {
  b: FuncBuilder;
  scope: Scope;
  diag: Diagnostics;
  wraps: WrapMap;
  /** The enclosing function's return type. */
  ret: ValueType;
}

const ARITH: Partial<Record<SyntaxKind, [BinOp, BinOp]>> = { // [unsigned, signed]
  [SyntaxKind.PlusToken]: ['add', 'add'], [SyntaxKind.MinusToken]: ['sub', 'sub'],
  [SyntaxKind.AsteriskToken]: ['mul', 'mul'], [SyntaxKind.SlashToken]: ['udiv', 'sdiv'],
  [SyntaxKind.PercentToken]: ['urem', 'srem'], [SyntaxKind.AmpersandToken]: ['and', 'and'],
  [SyntaxKind.BarToken]: ['or', 'or'], [SyntaxKind.CaretToken]: ['xor', 'xor'],
  [SyntaxKind.LessThanLessThanToken]: ['shl', 'shl'], [SyntaxKind.GreaterThanGreaterThanToken]: ['lshr', 'ashr'],
};

const COMPARE: Partial<Record<SyntaxKind, [Cond, Cond]>> = {
  [SyntaxKind.EqualsEqualsToken]: ['eq', 'eq'], [SyntaxKind.EqualsEqualsEqualsToken]: ['eq', 'eq'],
  [SyntaxKind.ExclamationEqualsToken]: ['ne', 'ne'], [SyntaxKind.ExclamationEqualsEqualsToken]: ['ne', 'ne'],
  [SyntaxKind.LessThanToken]: ['ult', 'slt'], [SyntaxKind.LessThanEqualsToken]: ['ule', 'sle'],
  [SyntaxKind.GreaterThanToken]: ['ugt', 'sgt'], [SyntaxKind.GreaterThanEqualsToken]: ['uge', 'sge'],
};

/** Compound assignment operator → the arithmetic operator it applies. */
export const COMPOUND: Partial<Record<SyntaxKind, SyntaxKind>> = {
  [SyntaxKind.PlusEqualsToken]: SyntaxKind.PlusToken, [SyntaxKind.MinusEqualsToken]: SyntaxKind.MinusToken,
  [SyntaxKind.AsteriskEqualsToken]: SyntaxKind.AsteriskToken, [SyntaxKind.SlashEqualsToken]: SyntaxKind.SlashToken,
  [SyntaxKind.PercentEqualsToken]: SyntaxKind.PercentToken, [SyntaxKind.AmpersandEqualsToken]: SyntaxKind.AmpersandToken,
  [SyntaxKind.BarEqualsToken]: SyntaxKind.BarToken, [SyntaxKind.CaretEqualsToken]: SyntaxKind.CaretToken,
  [SyntaxKind.LessThanLessThanEqualsToken]: SyntaxKind.LessThanLessThanToken,
  [SyntaxKind.GreaterThanGreaterThanEqualsToken]: SyntaxKind.GreaterThanGreaterThanToken,
};

export function arithOp(kind: SyntaxKind, t: IntType): BinOp | undefined {
  return ARITH[kind]?.[t.signed ? 1 : 0];
}

/** Wraps A to its type's width: the one place narrow wrap-around is made. */
export function normalise(c: Ctx, t: IntType): void {
  if (t.width < 8) c.b.emit({ op: 'ext', width: t.width, signed: t.signed });
}

/** The value of a bigint literal, possibly negated or parenthesised. */
export function literalValue(n: Node): bigint | undefined {
  if (Node.isBigIntLiteral(n)) return BigInt(n.getText().slice(0, -1).replace(/_/g, ''));
  if (Node.isParenthesizedExpression(n)) return literalValue(n.getExpression());
  if (Node.isPrefixUnaryExpression(n) && n.getOperatorToken() === SyntaxKind.MinusToken) {
    const v = literalValue(n.getOperand());
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

function bindingType(b: Binding | undefined): ValueType | undefined {
  if (!b) return undefined;
  if (b.kind === 'local' || b.kind === 'global' || b.kind === 'const') return b.type;
  if (b.kind === 'data') return INT_TYPES.ptr;
  if (b.kind === 'func') return b.ret;
  if (b.kind === 'cast') return b.type;
  return undefined;
}

/** The type an expression will have, without emitting code; undefined for bare literals. */
export function infer(c: Ctx, n: Node): ValueType | undefined {
  if (literalValue(n) !== undefined) return undefined;
  if (Node.isParenthesizedExpression(n)) return infer(c, n.getExpression());
  if (Node.isIdentifier(n)) return bindingType(c.scope.resolve(n));
  if (n.getKind() === SyntaxKind.TrueKeyword || n.getKind() === SyntaxKind.FalseKeyword) return BOOL;
  if (Node.isCallExpression(n)) {
    const b = c.scope.resolve(n.getExpression());
    if (b?.kind === 'intrinsic') return intrinsicType(b.name);
    return bindingType(b);
  }
  if (Node.isPropertyAccessExpression(n)) return U64;
  if (Node.isPrefixUnaryExpression(n)) return n.getOperatorToken() === SyntaxKind.ExclamationToken ? BOOL : infer(c, n.getOperand());
  if (Node.isConditionalExpression(n)) return infer(c, n.getWhenTrue()) ?? infer(c, n.getWhenFalse());
  if (Node.isBinaryExpression(n)) {
    const k = n.getOperatorToken().getKind();
    if (COMPARE[k] || k === SyntaxKind.AmpersandAmpersandToken || k === SyntaxKind.BarBarToken) return BOOL;
    return infer(c, n.getLeft()) ?? infer(c, n.getRight());
  }
  return undefined;
}

/** Checks that `got` can be used where `want` is expected; reports and carries on if not. */
export function expectType(c: Ctx, n: Node, got: ValueType, want: ValueType | undefined): void {
  if (!want || want.kind === 'void') return;
  if (got.kind === 'int' && want.kind === 'int') {
    if (!sameInt(got, want)) c.diag.report(n, 'mixedTypes', got.name, want.name);
  } else if (got.kind !== want.kind) {
    c.diag.report(n, 'wrongOperandType', n.getText().slice(0, 20), typeName(want), typeName(got));
  }
}

function literal(c: Ctx, n: Node, value: bigint, want: ValueType | undefined): ValueType {
  const t = want?.kind === 'int' ? want : value < 0n ? INT_TYPES.i64 : U64;
  if (want?.kind === 'bool') c.diag.report(n, 'notBoolean', t.name);
  if (!fits(value, t)) c.diag.report(n, 'literalRange', value.toString(), t.name);
  c.b.emit({ op: 'imm', value: bits64(value) });
  return t;
}

function identifier(c: Ctx, n: Node): ValueType {
  const b = c.scope.resolve(n);
  switch (b?.kind) {
    case 'local': c.b.emit({ op: 'slot.load', slot: b.slot }); return b.type;
    case 'const': c.b.emit({ op: 'imm', value: bits64(b.value) }); return b.type;
    case 'data': c.b.emit({ op: 'addr.global', symbol: b.symbol }); return INT_TYPES.ptr;
    case 'global':
      c.b.emit({ op: 'addr.global', symbol: b.symbol });
      c.b.emit({ op: 'load', width: b.type.width, signed: b.type.signed });
      return b.type;
    default:
      c.diag.report(n, 'notCallable', n.getText());
      c.b.emit({ op: 'imm', value: 0n });
      return U64;
  }
}

/** Evaluates left into the stack and right into A; B = left after `pop`. */
function operands(c: Ctx, n: Node, left: Node, right: Node, want: ValueType | undefined, allowBool = false): IntType {
  const t = (infer(c, left) ?? infer(c, right) ?? (want?.kind === 'int' ? want : U64));
  if (t.kind === 'bool' && allowBool) {
    condition(c, left);
    c.b.emit({ op: 'push' });
    condition(c, right);
    c.b.emit({ op: 'pop' });
    return INT_TYPES.u8;
  }
  if (t.kind !== 'int') {
    c.diag.report(n, 'wrongOperandType', n.getChildAtIndex(1)?.getText() ?? '?', 'integers', typeName(t));
    return U64;
  }
  expectType(c, left, expr(c, left, t), t);
  c.b.emit({ op: 'push' });
  expectType(c, right, expr(c, right, t), t);
  c.b.emit({ op: 'pop' });
  return t;
}

function logical(c: Ctx, n: Node, left: Node, right: Node, isAnd: boolean): ValueType {
  const end = c.b.label(isAnd ? 'and' : 'or');
  condition(c, left);
  c.b.emit({ op: isAnd ? 'jz' : 'jnz', target: end });
  condition(c, right);
  c.b.at(n).emit({ op: 'label', name: end });
  return BOOL;
}

function binary(c: Ctx, n: Node & { getLeft(): Expression; getRight(): Expression; getOperatorToken(): Node }, want: ValueType | undefined): ValueType {
  const kind = n.getOperatorToken().getKind();
  if (kind === SyntaxKind.AmpersandAmpersandToken || kind === SyntaxKind.BarBarToken) {
    return logical(c, n, n.getLeft(), n.getRight(), kind === SyntaxKind.AmpersandAmpersandToken);
  }
  if (kind === SyntaxKind.GreaterThanGreaterThanGreaterThanToken) {
    c.diag.report(n, 'unsignedShift');
    c.b.emit({ op: 'imm', value: 0n });
    return U64;
  }
  const cmp = COMPARE[kind];
  if (cmp) {
    const t = operands(c, n, n.getLeft(), n.getRight(), undefined, cmp[0] === 'eq' || cmp[0] === 'ne');
    c.b.emit({ op: 'cmp', cond: cmp[t.signed ? 1 : 0] });
    return BOOL;
  }
  if (!ARITH[kind]) {
    const what = COMPOUND[kind] || kind === SyntaxKind.EqualsToken ? 'assignment inside an expression' : `operator '${n.getOperatorToken().getText()}'`;
    c.diag.report(n, 'unsupportedSyntax', what);
    c.b.emit({ op: 'imm', value: 0n });
    return U64;
  }
  const t = operands(c, n, n.getLeft(), n.getRight(), want);
  c.b.emit({ op: 'bin', kind: arithOp(kind, t) as BinOp });
  normalise(c, t);
  c.wraps.set(n, t);
  return t;
}

function prefix(c: Ctx, n: Node & { getOperand(): Expression; getOperatorToken(): SyntaxKind }, want: ValueType | undefined): ValueType {
  const op = n.getOperatorToken();
  if (op === SyntaxKind.ExclamationToken) {
    condition(c, n.getOperand());
    c.b.emit({ op: 'push' });
    c.b.emit({ op: 'imm', value: 0n });
    c.b.emit({ op: 'pop' });
    c.b.emit({ op: 'cmp', cond: 'eq' });
    return BOOL;
  }
  if (op !== SyntaxKind.MinusToken && op !== SyntaxKind.TildeToken) {
    c.diag.report(n, 'unsupportedSyntax', `'${n.getText().slice(0, 2)}' inside an expression`);
    return U64;
  }
  const t = expr(c, n.getOperand(), want);
  if (t.kind !== 'int') return t;
  c.b.emit({ op: op === SyntaxKind.MinusToken ? 'neg' : 'not' });
  normalise(c, t);
  c.wraps.set(n, t);
  return t;
}

function conditional(c: Ctx, n: Node & { getCondition(): Expression; getWhenTrue(): Expression; getWhenFalse(): Expression }, want: ValueType | undefined): ValueType {
  const other = c.b.label('else');
  const end = c.b.label('endif');
  const t = want ?? infer(c, n.getWhenTrue()) ?? infer(c, n.getWhenFalse());
  condition(c, n.getCondition());
  c.b.emit({ op: 'jz', target: other });
  const a = expr(c, n.getWhenTrue(), t);
  c.b.emit({ op: 'jump', target: end });
  c.b.emit({ op: 'label', name: other });
  expectType(c, n.getWhenFalse(), expr(c, n.getWhenFalse(), t ?? a), t ?? a);
  c.b.emit({ op: 'label', name: end });
  return a;
}

function call(c: Ctx, n: Node & { getExpression(): Expression; getArguments(): Node[] }, want: ValueType | undefined): ValueType {
  const callee = n.getExpression();
  const b = Node.isIdentifier(callee) ? c.scope.resolve(callee) : undefined;
  const args = n.getArguments();
  if (b?.kind === 'intrinsic') return lowerIntrinsic(c, n, b.name, args);
  if (b?.kind === 'cast') {
    if (args.length !== 1) c.diag.report(n, 'argumentCount', b.type.name, '1', String(args.length));
    else if (expr(c, args[0], undefined).kind !== 'int') c.diag.report(args[0], 'wrongOperandType', b.type.name, 'an integer', 'boolean');
    normalise(c, b.type);
    return b.type;
  }
  if (b?.kind !== 'func') {
    c.diag.report(callee, 'notCallable', callee.getText());
    return want ?? U64;
  }
  if (args.length !== b.params.length) c.diag.report(n, 'argumentCount', callee.getText(), String(b.params.length), String(args.length));
  args.forEach((a, i) => {
    expectType(c, a, expr(c, a, b.params[i]), b.params[i]);
    c.b.emit({ op: 'push' });
  });
  c.b.at(n).emit({ op: 'call', symbol: b.symbol, argc: args.length, compiled: true });
  return b.ret;
}

function member(c: Ctx, n: Node & { getExpression(): Expression; getName(): string }): ValueType {
  const b = Node.isIdentifier(n.getExpression()) ? c.scope.resolve(n.getExpression()) : undefined;
  const off = b?.kind === 'struct' ? (n.getName() === '$size' ? b.size : b.fields.get(n.getName())) : undefined;
  if (off === undefined) c.diag.report(n, 'dynamicAccess');
  c.b.emit({ op: 'imm', value: off ?? 0n });
  return U64;
}

/** Rejections for expression kinds outside the subset, by syntax kind. */
function rejected(c: Ctx, n: Node): void {
  const k = n.getKind();
  if (k === SyntaxKind.NumericLiteral) c.diag.report(n, n.getText().match(/[.eE]/) && !n.getText().startsWith('0x') ? 'floatingPoint' : 'numberType');
  else if (k === SyntaxKind.StringLiteral || k === SyntaxKind.NoSubstitutionTemplateLiteral || k === SyntaxKind.TemplateExpression) c.diag.report(n, 'stringValue');
  else if (k === SyntaxKind.ObjectLiteralExpression) c.diag.report(n, 'objectOrArray', 'object');
  else if (k === SyntaxKind.ArrayLiteralExpression) c.diag.report(n, 'objectOrArray', 'array');
  else if (k === SyntaxKind.ArrowFunction || k === SyntaxKind.FunctionExpression) c.diag.report(n, 'closure', 'closures and function expressions');
  else if (k === SyntaxKind.ClassExpression || k === SyntaxKind.NewExpression) c.diag.report(n, 'classDecl');
  else if (k === SyntaxKind.ElementAccessExpression) c.diag.report(n, 'dynamicAccess');
  else if (k === SyntaxKind.TypeOfExpression || k === SyntaxKind.DeleteExpression || k === SyntaxKind.VoidExpression) c.diag.report(n, 'typeOperator', n.getFirstChild()?.getText() ?? '');
  else if (k === SyntaxKind.AwaitExpression || k === SyntaxKind.YieldExpression) c.diag.report(n, 'asyncCode', n.getFirstChild()?.getText() ?? '');
  else if (k === SyntaxKind.SpreadElement) c.diag.report(n, 'spreadOrOptional', 'spread');
  else if (k === SyntaxKind.NullKeyword || k === SyntaxKind.ThisKeyword) c.diag.report(n, 'typeOperator', n.getText());
  else c.diag.report(n, 'unsupportedSyntax', `this expression (${n.getKindName()})`);
  c.b.emit({ op: 'imm', value: 0n });
}

export function expr(c: Ctx, n: Node, want: ValueType | undefined): ValueType {
  c.b.at(n);
  const value = literalValue(n);
  if (value !== undefined) return literal(c, n, value, want);
  if (Node.isParenthesizedExpression(n)) return expr(c, n.getExpression(), want);
  if (Node.isIdentifier(n)) return identifier(c, n);
  if (n.getKind() === SyntaxKind.TrueKeyword || n.getKind() === SyntaxKind.FalseKeyword) {
    c.b.emit({ op: 'imm', value: n.getKind() === SyntaxKind.TrueKeyword ? 1n : 0n });
    return BOOL;
  }
  if (Node.isBinaryExpression(n)) return binary(c, n, want);
  if (Node.isPrefixUnaryExpression(n)) return prefix(c, n, want);
  if (Node.isConditionalExpression(n)) return conditional(c, n, want);
  if (Node.isCallExpression(n)) {
    if (n.hasQuestionDotToken()) c.diag.report(n, 'spreadOrOptional', 'optional chaining');
    return call(c, n, want);
  }
  if (Node.isPropertyAccessExpression(n)) {
    if (n.hasQuestionDotToken()) c.diag.report(n, 'spreadOrOptional', 'optional chaining');
    return member(c, n);
  }
  if (Node.isAsExpression(n) || Node.isNonNullExpression(n) || Node.isTypeAssertion(n)) {
    c.diag.report(n, 'unsupportedSyntax', 'a type assertion');
    c.b.emit({ op: 'imm', value: 0n });
  } else rejected(c, n);
  return U64;
}

/** A boolean condition in A (1 or 0). */
export function condition(c: Ctx, n: Node): void {
  const t = expr(c, n, BOOL);
  if (t.kind !== 'bool') c.diag.report(n, 'notBoolean', typeName(t));
}
