// Builds one function's IR: emits ops with their source line and the value-stack depth,
// hands out slots and labels, and records diagnostics.
import type { Node } from './tsmorph.ts';
import { stackEffect, type Func, type Instr, type Op } from '../ir.ts';
import { message, pgCode, type Diagnostic, type DiagnosticCode } from '../diagnostics.ts';

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  constructor(readonly displayName: (file: string) => string) {}
  report(node: Node, code: DiagnosticCode, ...args: string[]): void {
    const file = this.displayName(node.getSourceFile().getFilePath());
    this.list.push({ code: pgCode(code), message: message(code, args), file, start: node.getStart(), end: node.getEnd() });
  }
}

/** Offsets of every '\n' of a file, by file: line numbers by binary search. */
const newlines = new WeakMap<object, number[]>();

/**
 * The line `node` starts on, as ts-morph's getStartLineNumber() counts it ('\n' only);
 * that call counts from the file's start every time, which made it most of lowering.
 */
export function startLine(node: Node): number {
  const file = node.getSourceFile();
  let nl = newlines.get(file.compilerNode);
  if (!nl) {
    const text = file.getFullText();
    nl = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nl.push(i);
    newlines.set(file.compilerNode, nl);
  }
  const pos = node.getStart();
  let [lo, hi] = [0, nl.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nl[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export class FuncBuilder {
  readonly body: Instr[] = [];
  private depth = 0;
  private maxDepth = 0;
  private slots = 0;
  private labels = 0;
  private line = 0;
  /** Break and continue targets of the enclosing loops and switches. */
  readonly jumps: { brk: string; cont?: string }[] = [];

  constructor(readonly name: string, readonly file: string, readonly params: number) {}

  at(node: Node): this {
    this.line = startLine(node);
    return this;
  }

  emit(op: Op): void {
    this.body.push({ ...op, line: this.line, depth: this.depth } as Instr);
    this.depth += stackEffect(op);
    this.maxDepth = Math.max(this.maxDepth, this.depth);
  }

  slot(): number {
    return this.slots++;
  }

  label(hint: string): string {
    return `L_${this.name}_${hint}_${this.labels++}`;
  }

  finish(): Func {
    if (this.depth !== 0) throw new Error(`internal: ${this.name} leaves ${this.depth} values on the stack`);
    return { name: this.name, file: this.file, params: this.params, slots: this.slots, maxDepth: this.maxDepth, body: this.body };
  }
}
