// ts-morph through require(): importing this CommonJS package from an ES module makes
// Node scan its sources for export names first, about a third of a second at every
// start of a command that compiles. Everything the compiler uses comes from here.
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const Project = tsMorph.Project;
export type Project = TsMorph.Project;
export const Node = tsMorph.Node;
export type Node = TsMorph.Node;
export const SyntaxKind = tsMorph.SyntaxKind;
export type SyntaxKind = TsMorph.SyntaxKind;
export const ts = tsMorph.ts;
export type CompilerOptions = TsMorph.ts.CompilerOptions;
export type {
  CallExpression, Diagnostic, Expression, FunctionDeclaration, SourceFile, Statement, VariableDeclaration,
} from 'ts-morph';
