// Every construct outside the subset is rejected with its own code, all in one run,
// in the file(line,col) format with the source line and a caret.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Compiler } from '../../generator/compiler/frontend/compile.ts';
import { formatDiagnostic } from '../../generator/compiler/diagnostics.ts';
import { cli } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

const dir = tempDir('gp-diag-');
const RT = join(ROOT, 'templates/rt');
const PRELUDE = `import { u8, u16, u32, u64, i32, i64, type ptr } from '${RT}/types.ts';
import { load32, store32, zeroed, fnaddr, callptr, ascii, struct } from '${RT}/intrinsics.ts';
`;
const compiler = new Compiler();
let n = 0;

/** Codes reported for a module made of the prelude and `body`, in source order. */
function codes(body: string): string[] {
  const file = join(dir, `case${n++}.ts`);
  writeFileSync(file, PRELUDE + body + '\n');
  return [...compiler.compile(file).diagnostics.map((d) => d.code), 'EOF'];
}

const fn = (body: string): string => `export function f(a: u64, b: u32): u64 {\n${body}\n  return 0n;\n}`;

describe('rejected constructs', () => {
  it.each([
    ['number literal', fn('let x: u64 = 5;'), ['TS2322', 'PG0002']],
    ['floating point', fn('let x: u64 = u64(1.5 as unknown as bigint);'), ['PG0001']],
    ['number type', 'export function f(x: number): u64 { return 0n; }', ['PG0002']],
    ['string value', fn('const s = "hi";'), ['PG0004']],
    ['object literal', fn('const o = { a: 1n };'), ['PG0005']],
    ['array literal', fn('const o = [1n];'), ['PG0005']],
    ['class', 'class C {}', ['PG0006']],
    ['arrow function', fn('const g = (): u64 => 1n;'), ['PG0007']],
    ['nested function', fn('function g(): void {}'), ['PG0007']],
    ['any', 'export function f(x: any): u64 { return 0n; }', ['PG0008']],
    ['throw', fn('throw a;'), ['PG0009']],
    ['try', fn('try { a = 1n; } finally { a = 2n; }'), ['PG0009']],
    ['await', 'export async function f(): Promise<u64> { const x: u64 = await 0n; return x; }', ['PG0016', 'PG0010']],
    ['element access', fn('const x: u64 = zeroed[0];'), ['PG0011', 'TS7053']],
    ['typeof', fn('const x = typeof a;'), ['PG0012']],
    ['optional chaining', fn('const x: u64 = load32?.(a);'), ['PG0013', 'PG0017']],
    ['for-of', fn('for (const x of [a]) {}'), ['PG0014']],
    ['labelled statement', fn('outer: while (true) { break outer; }'), ['PG0014']],
    ['missing annotation', fn('let x;'), ['PG0015']],
    ['unknown type', 'export function f(x: string): u64 { return 0n; }', ['PG0016']],
    ['mixed types', fn('const x: u64 = a + b;'), ['PG0017']],
    ['literal range', fn('const x: u8 = 256n;'), ['PG0018']],
    ['non-boolean condition', fn('if (a) { a = 1n; }'), ['PG0019']],
    ['calling a non-function', fn('const x: u64 = a(1n);'), ['PG0020', 'TS2349']],
    ['argument count', `function g(x: u64): u64 { return x; }\n${fn('const x: u64 = g(1n, 2n);')}`, ['PG0021', 'TS2554']],
    ['module statement', 'if (true) {}', ['PG0022']],
    ['module initialiser', 'let g: u64 = u64(3n);', ['PG0023']],
    ['unsigned shift', fn('const x: u64 = a >>> 1n;'), ['PG0024', 'TS2365']],
    ['assigning a function', `function g(): void {}\n${fn('g = g;')}`, ['PG0025', 'TS2630']],
    ['break outside a loop', fn('break;'), ['PG0026', 'TS1107']],
    ['too many parameters', `export function f(${Array.from({ length: 17 }, (_, i) => `p${i}: u64`).join(', ')}): u64 { return 0n; }`, ['PG0027']],
    ['data intrinsic in a function', fn('const s: ptr = ascii("x");'), ['PG0028']],
    ['bad GUID', "import { guid } from '" + RT + "/intrinsics.ts';\nconst G = guid('nope');", ['PG0030']],
    ['fntable of a non-function', "import { fntable } from '" + RT + "/intrinsics.ts';\nconst K: u64 = 1n;\nconst T = fntable([K]);", ['PG0030', 'TS2322']],
    ['empty fntable', "import { fntable } from '" + RT + "/intrinsics.ts';\nconst T = fntable([]);", ['PG0030']],
  ])('%s', (_what, body, expected) => {
    expect(codes(body as string)).toEqual([...(expected as string[]), 'EOF']);
  });

  it('reports every error of a file in one run, in source order', () => {
    expect(codes(fn('const x: u64 = a + b;\n  const y: u8 = 300n;\n  if (a) {}'))).toEqual(['PG0017', 'PG0018', 'PG0019', 'EOF']);
  });

  it('formats file(line,col), the source line and a caret under the range', () => {
    const file = join(dir, 'format.ts');
    writeFileSync(file, PRELUDE + fn('const x: u64 = a + b;'));
    const c = compiler.compile(file);
    const d = c.diagnostics[0];
    const shown = relative(process.cwd(), file);
    expect(formatDiagnostic(d, c.texts.get(d.file) ?? '')).toBe(
      `${shown}(4,20): error PG0017: operands have different types 'u32' and 'u64': convert one, e.g. u64(x)\n` +
      'const x: u64 = a + b;\n' +
      '                   ^');
  });
});

describe('gen-purgatory compile with errors', () => {
  it('prints every diagnostic, exits non-zero, and shows no stack trace', () => {
    const file = join(dir, 'cli.ts');
    writeFileSync(file, PRELUDE + fn('const x: u64 = a + b;\n  let y = 1.5;'));
    const r = cli(['compile', file, '--arch', 'arm64']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\(4,20\): error PG0017: /);
    expect(r.stderr).toMatch(/\(5,11\): error PG0003: floating point/);
    expect(r.stderr).toMatch(/\d error\(s\)\n$/);
    expect(r.stderr).not.toContain('    at ');
  });
});
