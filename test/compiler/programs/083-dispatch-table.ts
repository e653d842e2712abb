// expect: 4900121
// An opcode interpreter: a dispatch table of handlers in zeroed memory, a program in a table().
import { u8, u64 } from '../../../templates/rt/types.ts';
import { zeroed, table, fnaddr, callptr, load8, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const HANDLERS = zeroed(8n * 8n);
// opcode, operand pairs: 0 push-imm, 1 add, 2 mul, 3 dup, 4 swap, 5 sub, 6 halt
const CODE = table(1, [0n, 7n, 0n, 5n, 1n, 0n, 3n, 3n, 0n, 2n, 2n, 0n, 0n, 100n, 4n, 0n, 5n, 0n, 3n, 0n, 2n, 0n, 6n, 0n]);
const STACK = zeroed(8n * 32n);

let sp: u64 = 0n;

function push(v: u64): void {
  store64(STACK + sp * 8n, v);
  sp++;
}
function pop(): u64 {
  sp--;
  return load64(STACK + sp * 8n);
}

function hPush(arg: u64): u64 {
  push(arg);
  return 1n;
}
function hAdd(arg: u64): u64 {
  push(pop() + pop() + arg);
  return 1n;
}
function hMul(arg: u64): u64 {
  push(pop() * pop() + arg);
  return 1n;
}
function hDup(arg: u64): u64 {
  const v: u64 = pop();
  push(v);
  push(v + arg);
  return 1n;
}
function hSwap(arg: u64): u64 {
  const a: u64 = pop();
  const b: u64 = pop();
  push(a + arg);
  push(b);
  return 1n;
}
function hSub(arg: u64): u64 {
  const a: u64 = pop();
  const b: u64 = pop();
  push(a - b - arg);
  return 1n;
}
function hHalt(arg: u64): u64 {
  return arg;
}

export function main(): u64 {
  store64(HANDLERS + 0n, fnaddr(hPush));
  store64(HANDLERS + 8n, fnaddr(hAdd));
  store64(HANDLERS + 16n, fnaddr(hMul));
  store64(HANDLERS + 24n, fnaddr(hDup));
  store64(HANDLERS + 32n, fnaddr(hSwap));
  store64(HANDLERS + 40n, fnaddr(hSub));
  store64(HANDLERS + 48n, fnaddr(hHalt));
  let pc: u64 = 0n;
  let steps: u64 = 0n;
  while (true) {
    const op: u8 = load8(CODE + pc);
    const arg: u8 = load8(CODE + pc + 1n);
    pc += 2n;
    steps++;
    if (callptr(load64(HANDLERS + u64(op) * 8n), u64(arg)) == 0n) break;
  }
  return pop() * 1000n + steps * 10n + sp;
}
