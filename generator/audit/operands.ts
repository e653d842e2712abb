// Small helpers for reading capstone's operand text, shared by both architectures.

/** Splits operands on top-level commas (not inside [...] or {...}). */
export function splitOperands(text: string): string[] {
  if (!text) return [];
  if (!/[[{]/.test(text)) return text.split(', '); // most operands: no brackets
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** A number as capstone prints it (`0x1f`, `-0x10`, `8`, `#0x10`), or undefined. */
export function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^#?(-?)(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  const v = Number(BigInt(m[2]));
  return m[1] ? -v : v;
}

/** The same as a 64-bit pattern, for register constants. */
export function parseBig(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const m = /^#?(-?)(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  return BigInt.asUintN(64, m[1] ? -BigInt(m[2]) : BigInt(m[2]));
}

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
