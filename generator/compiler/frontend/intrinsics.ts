// Calls to templates/rt/intrinsics.ts inside functions: memory access, function
// addresses and calls through pointers. The static-data intrinsics belong at module
// level (module.ts) and are rejected here.
import type { Node } from './tsmorph.ts';
import type { Width } from '../ir.ts';
import { expr, expectType, type Ctx } from './expr.ts';
import { INT_TYPES, U64, VOID, type ValueType } from './types.ts';

const LOADS: Record<string, Width> = { load8: 1, load16: 2, load32: 4, load64: 8 };
const STORES: Record<string, Width> = { store8: 1, store16: 2, store32: 4, store64: 8 };
const UNSIGNED: Record<Width, ValueType> = { 1: INT_TYPES.u8, 2: INT_TYPES.u16, 4: INT_TYPES.u32, 8: INT_TYPES.u64 };
export const DATA_INTRINSICS = new Set(['ascii', 'ucs2', 'guid', 'table', 'zeroed', 'struct', 'fntable']);
/** Intrinsics implemented in stubs-asm as `rt_<name>`, called with the UEFI convention. */
const STUB_INTRINSICS: Record<string, { args: ValueType[]; ret: ValueType }> = {
  putc: { args: [INT_TYPES.u8], ret: VOID },
  barrier: { args: [], ret: VOID },
  cacheClean: { args: [INT_TYPES.ptr, U64], ret: VOID },
  callEntry: { args: [INT_TYPES.ptr, INT_TYPES.ptr, U64, U64], ret: U64 },
  inb: { args: [INT_TYPES.u16], ret: INT_TYPES.u8 },
  inw: { args: [INT_TYPES.u16], ret: INT_TYPES.u16 },
  inl: { args: [INT_TYPES.u16], ret: INT_TYPES.u32 },
  outb: { args: [INT_TYPES.u16, INT_TYPES.u8], ret: VOID },
  outw: { args: [INT_TYPES.u16, INT_TYPES.u16], ret: VOID },
  outl: { args: [INT_TYPES.u16, INT_TYPES.u32], ret: VOID },
  readTimer: { args: [], ret: U64 },
  timerFrequency: { args: [], ret: U64 },
  archParam: { args: [U64], ret: U64 },
  mmuEnable: { args: [INT_TYPES.ptr], ret: VOID },
  enterImage: { args: [INT_TYPES.ptr, INT_TYPES.ptr, U64, U64, INT_TYPES.ptr], ret: U64 },
  leaveImage: { args: [INT_TYPES.ptr, U64], ret: VOID },
  copyMem: { args: [INT_TYPES.ptr, INT_TYPES.ptr, U64], ret: VOID },
  setMem: { args: [INT_TYPES.ptr, U64, INT_TYPES.u8], ret: VOID },
  halt: { args: [], ret: VOID },
  fnfill: { args: [INT_TYPES.ptr, INT_TYPES.ptr, U64], ret: VOID },
};
/** Host-only helpers of templates/rt that compiled code must not call. */
const HOST_ONLY = new Set(['takeConsole', 'registerWidths', 'guidBytes', 'setArchParams', 'mmuRootForTest', 'MachineHalted', 'cleanedForTest']);

function arity(c: Ctx, n: Node, name: string, args: Node[], count: number): boolean {
  if (args.length === count) return true;
  c.diag.report(n, 'argumentCount', name, String(count), String(args.length));
  c.b.emit({ op: 'imm', value: 0n });
  return false;
}

function address(c: Ctx, a: Node): void {
  expectType(c, a, expr(c, a, INT_TYPES.ptr), INT_TYPES.ptr);
}

function load(c: Ctx, n: Node, name: string, args: Node[]): ValueType {
  const width = LOADS[name];
  if (arity(c, n, name, args, 1)) {
    address(c, args[0]);
    c.b.at(n).emit({ op: 'load', width, signed: false });
  }
  return UNSIGNED[width];
}

function store(c: Ctx, n: Node, name: string, args: Node[]): ValueType {
  const width = STORES[name];
  if (!arity(c, n, name, args, 2)) return VOID;
  address(c, args[0]);
  c.b.emit({ op: 'push' });
  const t = UNSIGNED[width];
  expectType(c, args[1], expr(c, args[1], t), t);
  c.b.emit({ op: 'pop' });
  c.b.at(n).emit({ op: 'store', width });
  return VOID;
}

function fnaddr(c: Ctx, n: Node, args: Node[]): ValueType {
  if (!arity(c, n, 'fnaddr', args, 1)) return INT_TYPES.ptr;
  const b = c.scope.resolve(args[0]);
  if (b?.kind !== 'func') {
    c.diag.report(args[0], 'notCallable', args[0].getText());
    c.b.emit({ op: 'imm', value: 0n });
  } else c.b.at(n).emit({ op: 'addr.func', symbol: b.symbol });
  return INT_TYPES.ptr;
}

/** callptr(p, a, b, …): arguments pushed first, the target last, in A. */
function callptr(c: Ctx, n: Node, args: Node[]): ValueType {
  if (args.length === 0) return arity(c, n, 'callptr', args, 1) ? U64 : U64;
  for (const a of args.slice(1)) {
    const t = expr(c, a, undefined);
    if (t.kind !== 'int') c.diag.report(a, 'wrongOperandType', 'callptr', 'integer arguments', 'boolean');
    c.b.emit({ op: 'push' });
  }
  address(c, args[0]);
  c.b.at(n).emit({ op: 'call.ptr', argc: args.length - 1 });
  return U64;
}

/** An intrinsic living in stubs-asm: a plain call to rt_<name>. */
function stubCall(c: Ctx, n: Node, name: string, args: Node[]): ValueType {
  const sig = STUB_INTRINSICS[name];
  if (!arity(c, n, name, args, sig.args.length)) return sig.ret;
  args.forEach((a, i) => {
    expectType(c, a, expr(c, a, sig.args[i]), sig.args[i]);
    c.b.emit({ op: 'push' });
  });
  c.b.at(n).emit({ op: 'call', symbol: `rt_${name}`, argc: args.length });
  return sig.ret;
}

/** An intrinsic call's result type, without lowering it. */
export function intrinsicType(name: string): ValueType | undefined {
  if (name in LOADS) return UNSIGNED[LOADS[name]];
  if (name in STORES) return VOID;
  if (name in STUB_INTRINSICS) return STUB_INTRINSICS[name].ret;
  return name === 'fnaddr' || DATA_INTRINSICS.has(name) ? INT_TYPES.ptr : U64;
}

export function lowerIntrinsic(c: Ctx, n: Node, name: string, args: Node[]): ValueType {
  if (name in LOADS) return load(c, n, name, args);
  if (name in STORES) return store(c, n, name, args);
  if (name === 'fnaddr') return fnaddr(c, n, args);
  if (name === 'callptr') return callptr(c, n, args);
  if (name in STUB_INTRINSICS) return stubCall(c, n, name, args);
  if (DATA_INTRINSICS.has(name)) c.diag.report(n, 'dataOutsideModule', name);
  else if (HOST_ONLY.has(name)) c.diag.report(n, 'notCallable', `${name} (host-only)`);
  else c.diag.report(n, 'notCallable', name);
  c.b.emit({ op: 'imm', value: 0n });
  return U64;
}
