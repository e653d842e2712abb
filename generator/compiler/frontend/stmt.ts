// Lowers statements and whole functions.
import { Node, SyntaxKind, type FunctionDeclaration, type Statement, type VariableDeclaration } from './tsmorph.ts';
import type { Func } from '../ir.ts';
import { FuncBuilder, type Diagnostics } from './builder.ts';
import { Scope, type Binding } from './scope.ts';
import { expr, condition, expectType, infer, normalise, arithOp, COMPOUND, type Ctx, type WrapMap } from './expr.ts';
import { parseTypeName, U64, VOID, INT_TYPES, type IntType, type ValueType } from './types.ts';

/** A declared type from an annotation; reports non-subset types. */
export function annotated(diag: Diagnostics, typeNode: Node | undefined, what: string, at: Node): ValueType | undefined {
  if (!typeNode) {
    diag.report(at, 'missingType', what);
    return undefined;
  }
  const text = typeNode.getText();
  const t = parseTypeName(text);
  if (!t) diag.report(typeNode, text === 'any' || text === 'unknown' ? 'anyType' : text === 'number' ? 'numberType' : 'unknownType', text);
  return t;
}

function declare(c: Ctx, d: VariableDeclaration): void {
  const nameNode = d.getNameNode();
  if (!Node.isIdentifier(nameNode)) {
    c.diag.report(nameNode, 'unsupportedSyntax', 'destructuring');
    return;
  }
  const init = d.getInitializer();
  const declared = d.getTypeNode() ? annotated(c.diag, d.getTypeNode(), `'${d.getName()}'`, d) : undefined;
  if (!declared && !init) c.diag.report(d, 'missingType', `'${d.getName()}'`);
  // Without an annotation the initialiser's own type is the variable's.
  let t: ValueType = declared ?? U64;
  if (init) {
    const got = expr(c, init, declared);
    if (declared) expectType(c, init, got, declared);
    else t = got;
  } else c.b.emit({ op: 'imm', value: 0n });
  const slot = c.b.slot();
  c.scope.bindLocal(d, { kind: 'local', slot, type: t });
  c.b.emit({ op: 'slot.store', slot });
}

/** Stores A to an assignable binding; for globals the address must already be on the stack. */
function storeTo(c: Ctx, b: Binding): void {
  if (b.kind === 'local') c.b.emit({ op: 'slot.store', slot: b.slot });
  else if (b.kind === 'global') {
    c.b.emit({ op: 'pop' });
    c.b.emit({ op: 'store', width: b.type.width });
  }
}

/** `target op= value`, `target = value`, `target++`. `value` undefined means 1n. */
function assign(c: Ctx, n: Node, target: Node, op: SyntaxKind | undefined, value: Node | undefined): void {
  const b = Node.isIdentifier(target) ? c.scope.resolve(target) : undefined;
  if (b?.kind !== 'local' && b?.kind !== 'global') {
    c.diag.report(target, 'notAssignable', target.getText());
    return;
  }
  const t = b.type;
  if (b.kind === 'global') {
    c.b.emit({ op: 'addr.global', symbol: b.symbol });
    c.b.emit({ op: 'push' });
  }
  if (op === undefined) {
    if (value) expectType(c, value, expr(c, value, t), t);
  } else {
    if (t.kind !== 'int') return void c.diag.report(n, 'wrongOperandType', n.getText().slice(0, 20), 'integers', 'boolean');
    expr(c, target, t);
    c.b.emit({ op: 'push' });
    if (value) expectType(c, value, expr(c, value, t), t);
    else c.b.emit({ op: 'imm', value: 1n });
    c.b.emit({ op: 'pop' });
    c.b.emit({ op: 'bin', kind: arithOp(op, t as IntType) ?? 'add' });
    normalise(c, t as IntType);
    c.wraps.set(n, t as IntType);
  }
  storeTo(c, b);
}

function expressionStatement(c: Ctx, e: Node): void {
  if (Node.isBinaryExpression(e)) {
    const k = e.getOperatorToken().getKind();
    if (k === SyntaxKind.EqualsToken) return assign(c, e, e.getLeft(), undefined, e.getRight());
    const op = COMPOUND[k];
    if (op) return assign(c, e, e.getLeft(), op, e.getRight());
  }
  if ((Node.isPostfixUnaryExpression(e) || Node.isPrefixUnaryExpression(e))) {
    const k = e.getOperatorToken();
    if (k === SyntaxKind.PlusPlusToken || k === SyntaxKind.MinusMinusToken) {
      return assign(c, e, e.getOperand(), k === SyntaxKind.PlusPlusToken ? SyntaxKind.PlusToken : SyntaxKind.MinusToken, undefined);
    }
  }
  if (Node.isCallExpression(e)) return void expr(c, e, VOID);
  c.diag.report(e, 'unsupportedSyntax', 'an expression statement that is not a call or an assignment');
}

function loop(c: Ctx, body: () => void, brk: string, cont: string): void {
  c.b.jumps.push({ brk, cont });
  body();
  c.b.jumps.pop();
}

function forStatement(c: Ctx, s: Statement & Node): void {
  if (!Node.isForStatement(s)) return;
  const init = s.getInitializer();
  if (init && Node.isVariableDeclarationList(init)) init.getDeclarations().forEach((d) => declare(c, d));
  else if (init) expressionStatement(c, init);
  const [top, step, end] = [c.b.label('for'), c.b.label('step'), c.b.label('endfor')];
  c.b.emit({ op: 'label', name: top });
  const cond = s.getCondition();
  if (cond) {
    condition(c, cond);
    c.b.emit({ op: 'jz', target: end });
  }
  loop(c, () => statement(c, s.getStatement()), end, step);
  c.b.emit({ op: 'label', name: step });
  const inc = s.getIncrementor();
  if (inc) expressionStatement(c, inc);
  c.b.emit({ op: 'jump', target: top });
  c.b.emit({ op: 'label', name: end });
}

function switchStatement(c: Ctx, s: Node): void {
  if (!Node.isSwitchStatement(s)) return;
  const t = infer(c, s.getExpression()) ?? U64;
  const slot = c.b.slot();
  expr(c, s.getExpression(), t);
  c.b.emit({ op: 'slot.store', slot });
  const clauses = s.getCaseBlock().getClauses();
  const labels = clauses.map(() => c.b.label('case'));
  const end = c.b.label('endswitch');
  clauses.forEach((cl, i) => {
    if (!Node.isCaseClause(cl)) return;
    c.b.emit({ op: 'slot.load', slot });
    c.b.emit({ op: 'push' });
    expectType(c, cl.getExpression(), expr(c, cl.getExpression(), t), t);
    c.b.emit({ op: 'pop' });
    c.b.emit({ op: 'cmp', cond: 'eq' });
    c.b.emit({ op: 'jnz', target: labels[i] });
  });
  const dflt = clauses.findIndex((cl) => Node.isDefaultClause(cl));
  c.b.emit({ op: 'jump', target: dflt >= 0 ? labels[dflt] : end });
  c.b.jumps.push({ brk: end });
  clauses.forEach((cl, i) => {
    c.b.emit({ op: 'label', name: labels[i] });
    cl.getStatements().forEach((st) => statement(c, st));
  });
  c.b.jumps.pop();
  c.b.emit({ op: 'label', name: end });
}

function jump(c: Ctx, s: Node, isBreak: boolean): void {
  if (Node.isBreakStatement(s) || Node.isContinueStatement(s)) {
    if (s.getLabel()) c.diag.report(s, 'forOfIn', 'labelled');
  }
  const target = [...c.b.jumps].reverse().find((j) => (isBreak ? true : j.cont !== undefined));
  if (!target) return void c.diag.report(s, 'breakOutside', isBreak ? 'break' : 'continue');
  c.b.emit({ op: 'jump', target: isBreak ? target.brk : (target.cont as string) });
}

function whileLoop(c: Ctx, s: Node, isDo: boolean): void {
  if (!Node.isWhileStatement(s) && !Node.isDoStatement(s)) return;
  const [top, test, end] = [c.b.label('loop'), c.b.label('test'), c.b.label('endloop')];
  if (!isDo) c.b.emit({ op: 'jump', target: test });
  c.b.emit({ op: 'label', name: top });
  loop(c, () => statement(c, s.getStatement()), end, test);
  c.b.emit({ op: 'label', name: test });
  condition(c, s.getExpression());
  c.b.emit({ op: 'jnz', target: top });
  c.b.emit({ op: 'label', name: end });
}

function ifStatement(c: Ctx, s: Node): void {
  if (!Node.isIfStatement(s)) return;
  const [other, end] = [c.b.label('else'), c.b.label('endif')];
  condition(c, s.getExpression());
  c.b.emit({ op: 'jz', target: other });
  statement(c, s.getThenStatement());
  c.b.emit({ op: 'jump', target: end });
  c.b.emit({ op: 'label', name: other });
  const e = s.getElseStatement();
  if (e) statement(c, e);
  c.b.emit({ op: 'label', name: end });
}

const REJECTED: Partial<Record<SyntaxKind, [Parameters<Diagnostics['report']>[1], string]>> = {
  [SyntaxKind.ThrowStatement]: ['exceptions', ''], [SyntaxKind.TryStatement]: ['exceptions', ''],
  [SyntaxKind.ForOfStatement]: ['forOfIn', 'for…of'], [SyntaxKind.ForInStatement]: ['forOfIn', 'for…in'],
  [SyntaxKind.LabeledStatement]: ['forOfIn', 'labelled'], [SyntaxKind.ClassDeclaration]: ['classDecl', ''],
  [SyntaxKind.FunctionDeclaration]: ['closure', 'nested functions'], [SyntaxKind.WithStatement]: ['unsupportedSyntax', 'with'],
};

export function statement(c: Ctx, s: Node): void {
  c.b.at(s);
  if (Node.isBlock(s)) s.getStatements().forEach((st) => statement(c, st));
  else if (Node.isVariableStatement(s)) s.getDeclarations().forEach((d) => declare(c, d));
  else if (Node.isExpressionStatement(s)) expressionStatement(c, s.getExpression());
  else if (Node.isReturnStatement(s)) {
    const v = s.getExpression();
    if (v) expectType(c, v, expr(c, v, c.ret), c.ret);
    else c.b.emit({ op: 'imm', value: 0n });
    c.b.emit({ op: 'ret' });
  } else if (Node.isIfStatement(s)) ifStatement(c, s);
  else if (Node.isWhileStatement(s)) whileLoop(c, s, false);
  else if (Node.isDoStatement(s)) whileLoop(c, s, true);
  else if (Node.isForStatement(s)) forStatement(c, s);
  else if (Node.isSwitchStatement(s)) switchStatement(c, s);
  else if (Node.isBreakStatement(s)) jump(c, s, true);
  else if (Node.isContinueStatement(s)) jump(c, s, false);
  else if (!Node.isEmptyStatement(s)) {
    const [code, arg] = REJECTED[s.getKind()] ?? ['unsupportedSyntax', `this statement (${s.getKindName()})`];
    c.diag.report(s, code, arg);
  }
}

export interface FuncSignature {
  params: ValueType[];
  ret: ValueType;
}

/** Lowers one module-level function into IR. */
export function lowerFunction(fn: FunctionDeclaration, symbol: string, file: string, sig: FuncSignature,
  module: Map<Node, Binding>, diag: Diagnostics, wraps: WrapMap): Func {
  const b = new FuncBuilder(symbol, file, sig.params.length);
  const c: Ctx = { b, scope: new Scope(module), diag, wraps, ret: sig.ret };
  b.at(fn);
  fn.getParameters().forEach((p, i) => {
    const slot = b.slot();
    c.scope.bindLocal(p, { kind: 'local', slot, type: sig.params[i] ?? INT_TYPES.u64 });
    b.emit({ op: 'param', index: i, slot });
  });
  fn.getBody()?.forEachChild((s) => statement(c, s));
  b.at(fn.getLastChild() ?? fn).emit({ op: 'imm', value: 0n });
  b.emit({ op: 'ret' });
  return b.finish();
}
