// The subset's value types as the compiler sees them. TypeScript only knows `bigint`;
// the width and signedness come from the alias names in annotations.
import type { Width } from '../ir.ts';

export interface IntType {
  kind: 'int';
  name: string;
  width: Width;
  signed: boolean;
}

export type ValueType = IntType | { kind: 'bool' } | { kind: 'void' };

const int = (name: string, width: Width, signed: boolean): IntType => ({ kind: 'int', name, width, signed });

export const INT_TYPES: Record<string, IntType> = {
  u8: int('u8', 1, false), u16: int('u16', 2, false), u32: int('u32', 4, false), u64: int('u64', 8, false),
  i8: int('i8', 1, true), i16: int('i16', 2, true), i32: int('i32', 4, true), i64: int('i64', 8, true),
  ptr: int('ptr', 8, false),
};

export const BOOL: ValueType = { kind: 'bool' };
export const VOID: ValueType = { kind: 'void' };
export const U64: IntType = INT_TYPES.u64;

export function typeName(t: ValueType): string {
  return t.kind === 'int' ? t.name : t.kind === 'bool' ? 'boolean' : 'void';
}

/** Type from an annotation's text, or undefined when it is not a subset type. */
export function parseTypeName(text: string): ValueType | undefined {
  if (text === 'boolean') return BOOL;
  if (text === 'void') return VOID;
  return INT_TYPES[text];
}

/** ptr and u64 are one type for arithmetic and comparison. */
export function sameInt(a: IntType, b: IntType): boolean {
  const norm = (t: IntType): string => (t.name === 'ptr' ? 'u64' : t.name);
  return norm(a) === norm(b);
}

export function fits(value: bigint, t: IntType): boolean {
  const bits = BigInt(t.width * 8);
  const min = t.signed ? -(1n << (bits - 1n)) : 0n;
  const max = t.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return value >= min && value <= max;
}

/** A value's 64-bit two's complement pattern, as an `imm` op wants it. */
export function bits64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}
