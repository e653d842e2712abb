// expect: 9223383446383142018
// rt_enterImage/rt_leaveImage (stubs-asm/<arch>/runtime.s): an entry that returns, one that
// leaves from deep in its own calls, an image that starts another image, and the caller's
// locals, callee-saved registers and stack intact afterwards. The entry runs on the stack
// it is given: the compiled run prints "stack used" once it finds its frames there (the
// host has no machine stack to look at, so the result does not depend on it).
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { enterImage, leaveImage, fnaddr, load64, store64, zeroed, ascii } from '../../../templates/rt/intrinsics.ts';
import { puts } from '../../../templates/console.ts';

const CTX = zeroed(0x80n);
const CTX2 = zeroed(0x80n);
const STACK = zeroed(0x4000n);
const STACK2 = zeroed(0x2000n);
const MARK: u64 = 0x5a5a_5a5a_5a5a_5a5an;
const USED = ascii('stack used\n');

function entryReturns(handle: u64, systab: u64): u64 {
  return handle * 3n + systab;
}

function deep(n: u64, ctx: ptr): u64 {
  if (n == 0n) {
    leaveImage(ctx, 0x8000_0000_0000_000en); // EFI_NOT_FOUND-like: a high bit set
    return 0xdeadn; // never reached
  }
  return deep(n - 1n, ctx) + n;
}

function entryLeaves(handle: u64, systab: u64): u64 {
  return deep(handle, systab) + 1000n;
}

function innerImage(handle: u64, systab: u64): u64 {
  if (handle == 1n) leaveImage(CTX2, systab + 7n);
  return handle + systab;
}

/** An image that starts another image twice (one returns, one leaves), then leaves itself. */
function outerImage(handle: u64, systab: u64): u64 {
  const a: u64 = enterImage(fnaddr(innerImage), STACK2 + 0x2000n, 0n, 40n, CTX2);
  const b: u64 = enterImage(fnaddr(innerImage), STACK2 + 0x1ff8n, 1n, 50n, CTX2);
  leaveImage(CTX, handle + systab + a * 100n + b * 10000n);
  return 0n;
}

/** Bytes of STACK whose mark was overwritten. */
function stackTouched(): u64 {
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < 0x4000n; i += 8n) if (load64(STACK + i) != MARK) n++;
  return n;
}

function run(k: u64): u64 {
  // Live across the calls: compiled, these sit in callee-saved registers or our frame.
  let l1: u64 = k * 11n;
  let l2: u64 = k * 13n + 1n;
  let l3: u64 = k ^ 0xffn;
  let sum: u64 = 0n;
  sum += enterImage(fnaddr(entryReturns), STACK + 0x4000n, k, 5n, CTX);
  sum = sum * 7n + enterImage(fnaddr(entryLeaves), STACK + 0x3ffbn, 0x20n + k, CTX, CTX);
  sum = sum * 7n + enterImage(fnaddr(outerImage), STACK + 0x4000n - k * 0x10n, k, 3n, CTX);
  return sum + l1 * 1_000_000n + l2 * 1000n + l3;
}

export function main(): u64 {
  for (let i: u64 = 0n; i < 0x4000n; i += 8n) store64(STACK + i, MARK);
  let total: u64 = 0n;
  for (let k: u64 = 1n; k <= 5n; k++) total = total * 31n + run(k);
  if (stackTouched() != 0n) puts(USED);
  return total;
}
