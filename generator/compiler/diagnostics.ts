// Compiler diagnostics: one table of stable codes, and the AssemblyScript-style format
// `file(line,col): error PGnnnn: message`, the source line, and a caret under the range.
// Codes below 1000 are subset restrictions; TypeScript's own errors keep their TSnnnn.

export const CODES = {
  unsupportedSyntax: [1, '{0} is not supported in the boot subset'],
  numberType: [2, 'number values are not supported: use a bigint literal such as 5n and an integer type'],
  floatingPoint: [3, 'floating point is not supported in the boot subset'],
  stringValue: [4, 'strings exist only as arguments of ascii(), ucs2() and guid()'],
  objectOrArray: [5, '{0} literals are not supported: use struct() layouts over memory'],
  classDecl: [6, 'classes are not supported in the boot subset'],
  closure: [7, '{0} are not supported: declare a module-level function'],
  anyType: [8, "'{0}' is not a subset type: use u8..u64, i8..i64, ptr or boolean"],
  exceptions: [9, 'exceptions are not supported: return a status instead'],
  asyncCode: [10, '{0} is not supported in the boot subset'],
  dynamicAccess: [11, 'dynamic property access is not supported: compute an address and use load/store'],
  typeOperator: [12, "'{0}' is not supported in the boot subset"],
  spreadOrOptional: [13, '{0} is not supported in the boot subset'],
  forOfIn: [14, '{0} loops are not supported: use a counted for loop'],
  missingType: [15, '{0} needs an explicit type annotation'],
  unknownType: [16, "unknown type '{0}': use u8..u64, i8..i64, ptr, boolean or void"],
  mixedTypes: [17, "operands have different types '{0}' and '{1}': convert one, e.g. {1}(x)"],
  literalRange: [18, "literal {0} does not fit in '{1}'"],
  notBoolean: [19, "condition has type '{0}': compare explicitly, e.g. x != 0n"],
  notCallable: [20, "'{0}' is not a subset function or intrinsic"],
  argumentCount: [21, "'{0}' takes {1} argument(s), got {2}"],
  moduleStatement: [22, '{0} is not allowed at module level'],
  moduleInit: [23, 'module-level {0} must be initialised by a literal or a data intrinsic'],
  unsignedShift: [24, "'>>>' is not supported: '>>' on an unsigned type is a logical shift"],
  notAssignable: [25, 'cannot assign to {0}'],
  breakOutside: [26, "'{0}' outside a loop or switch"],
  tooManyParams: [27, 'functions take at most 16 parameters, {0} has {1}'],
  dataOutsideModule: [28, '{0}() places static data: call it only in a module-level const'],
  wrongOperandType: [29, "operator '{0}' needs {1}, got '{2}'"],
  dataArgument: [30, '{0}'],
  recursionInConst: [31, "'{0}' is not a compile-time constant"],
} as const satisfies Record<string, readonly [number, string]>;

export type DiagnosticCode = keyof typeof CODES;

export interface Diagnostic {
  /** "PG0017" or "TS2322". */
  code: string;
  message: string;
  file: string;
  /** Character offsets of the range in the file's text. */
  start: number;
  end: number;
}

export function pgCode(code: DiagnosticCode): string {
  return `PG${String(CODES[code][0]).padStart(4, '0')}`;
}

export function message(code: DiagnosticCode, args: string[]): string {
  return CODES[code][1].replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '');
}

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** `file(line,col): error CODE: message`, the source line, and `^~~~` under the range. */
export function formatDiagnostic(d: Diagnostic, text: string): string {
  const { line, col } = position(text, d.start);
  const source = text.split('\n')[line - 1] ?? '';
  const width = Math.max(1, Math.min(d.end, d.start + source.length - col + 1) - d.start);
  const caret = ' '.repeat(col - 1) + '^' + '~'.repeat(width - 1);
  return `${d.file}(${line},${col}): error ${d.code}: ${d.message}\n${source}\n${caret}`;
}

/** Sorted by position, duplicates (same code and range) removed. */
export function normalise(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...list]
    .sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start || a.code.localeCompare(b.code))
    .filter((d) => {
      const key = `${d.file}:${d.start}:${d.end}:${d.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
