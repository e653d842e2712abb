// The boot subset's integer types. Every integer is a bigint holding the exact value
// of its type (unsigned types are never negative); each type name is also a function
// that converts to it with wrap-around, like a C cast: u32(x), i8(x), u64(x).

export type u8 = bigint;
export type u16 = bigint;
export type u32 = bigint;
export type u64 = bigint;
export type i8 = bigint;
export type i16 = bigint;
export type i32 = bigint;
export type i64 = bigint;
/** An address in the blob's flat, identity-mapped memory. */
export type ptr = bigint;

export const u8 = (x: bigint): u8 => BigInt.asUintN(8, x);
export const u16 = (x: bigint): u16 => BigInt.asUintN(16, x);
export const u32 = (x: bigint): u32 => BigInt.asUintN(32, x);
export const u64 = (x: bigint): u64 => BigInt.asUintN(64, x);
export const i8 = (x: bigint): i8 => BigInt.asIntN(8, x);
export const i16 = (x: bigint): i16 => BigInt.asIntN(16, x);
export const i32 = (x: bigint): i32 => BigInt.asIntN(32, x);
export const i64 = (x: bigint): i64 => BigInt.asIntN(64, x);
export const ptr = (x: bigint): ptr => BigInt.asUintN(64, x);

import { registerWidths } from './intrinsics.ts';
registerWidths([[u8, 1n], [u16, 2n], [u32, 4n], [u64, 8n], [i8, 1n], [i16, 2n], [i32, 4n], [i64, 8n], [ptr, 8n]]);
