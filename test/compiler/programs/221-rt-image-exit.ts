// expect: 0
// rt_enterImage/rt_leaveImage (stubs-asm/<arch>/runtime.s) the way the boot services use
// them: the image calls Exit through a function table with callptr, Exit finds the
// image's ctx by its handle and leaves from there; images start images; entry and status
// keep all 64 bits; a thousand enter/leave cycles. Compiled, the image must run on the
// stack it was given: just below its 16-aligned top lies a return address into our
// code, and nothing at or above that top changes. (The host has no machine stack: there
// those checks are skipped, recognised by fnaddr's host-only addresses.)
// The result is a bit mask of the checks that failed.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { enterImage, leaveImage, callptr, fnaddr, load64, store64, zeroed } from '../../../templates/rt/intrinsics.ts';

const CTXS = zeroed(0x200n); // four images' ctx, 0x80 bytes each
const SYSTAB = zeroed(0x20n); // [0] Exit, [8] a counter the images bump
const STACK = zeroed(0x8000n);
const MARK: u64 = 0xc3c3_c3c3_c3c3_c3c3n;
const HOST_FN_BASE: u64 = 0x7f00_0000_0000n;

/** Exit(handle, status): handle i's ctx is CTXS + 0x80 * i. */
function exitImage(handle: u64, status: u64): u64 {
  leaveImage(CTXS + handle * 0x80n, status);
  return 0xbadn; // never reached
}

function bump(systab: ptr): void {
  store64(systab + 8n, load64(systab + 8n) + 1n);
}

/** Recurses, then exits from the bottom through the table: Exit never returns. */
function descend(depth: u64, handle: u64, systab: ptr): u64 {
  if (depth == 0n) {
    callptr(load64(systab), handle, 0x8000_0000_0000_0000n | (handle << 32n) | 0x15n);
    return 0x0dd0n;
  }
  return descend(depth - 1n, handle, systab) * 3n + depth;
}

function imageExits(handle: u64, systab: ptr): u64 {
  bump(systab);
  return descend(0x40n, handle, systab) + 7n;
}

function imageReturns(handle: u64, systab: ptr): u64 {
  bump(systab);
  return 0xffff_0000_0000_0000n | handle;
}

/** Starts image 2 (which exits) and image 3 (which returns), then exits itself. */
function imageParent(handle: u64, systab: ptr): u64 {
  const a: u64 = enterImage(fnaddr(imageExits), STACK + 0x4000n, 2n, systab, CTXS + 0x100n);
  const b: u64 = enterImage(fnaddr(imageReturns), STACK + 0x3ff9n, 3n, systab, CTXS + 0x180n);
  callptr(load64(systab), handle, a ^ b);
  return 0n;
}

function onHost(): boolean {
  return fnaddr(bump) >= HOST_FN_BASE;
}

/** Compiled: a word in the 0x40 bytes below the aligned top points near our code, and
 *  the marks from there to the end of STACK are intact. */
function stackUsed(top: ptr): boolean {
  if (onHost()) return true;
  const code: u64 = fnaddr(bump);
  let ret: boolean = false;
  for (let p: ptr = top - 0x40n; p < top; p += 8n) {
    const w: u64 = load64(p);
    if (w != MARK && w + 0x10_0000n > code && w < code + 0x10_0000n) ret = true;
  }
  for (let p: ptr = top; p < STACK + 0x8000n; p += 8n) if (load64(p) != MARK) return false;
  return ret;
}

export function main(): u64 {
  store64(SYSTAB, fnaddr(exitImage));
  let failed: u64 = 0n;
  const l1: u64 = 0x1111n;
  const l2: u64 = 0x2222n;

  for (let p: ptr = STACK; p < STACK + 0x8000n; p += 8n) store64(p, MARK);
  const r0: u64 = enterImage(fnaddr(imageReturns), STACK + 0x7ffdn, 0x7n, SYSTAB, CTXS);
  if (r0 != 0xffff_0000_0000_0007n) failed |= 1n;
  if (!stackUsed(STACK + 0x7ff0n)) failed |= 2n;

  for (let p: ptr = STACK; p < STACK + 0x8000n; p += 8n) store64(p, MARK);
  const r1: u64 = enterImage(fnaddr(imageExits), STACK + 0x7c08n, 0x1n, SYSTAB, CTXS + 0x80n);
  if (r1 != 0x8000_0001_0000_0015n) failed |= 4n;
  if (!stackUsed(STACK + 0x7c00n)) failed |= 8n;

  const r2: u64 = enterImage(fnaddr(imageParent), STACK + 0x8000n, 0x0n, SYSTAB, CTXS);
  if (r2 != (0x8000_0002_0000_0015n ^ 0xffff_0000_0000_0003n)) failed |= 0x10n;

  let sum: u64 = 0n;
  for (let i: u64 = 0n; i < 1000n; i++) {
    const h: u64 = i & 1n;
    const entry: ptr = (i & 2n) == 0n ? fnaddr(imageExits) : fnaddr(imageReturns);
    sum += enterImage(entry, STACK + 0x8000n - (i & 0x1fn), h, SYSTAB, CTXS + h * 0x80n) & 0xffn;
  }
  if (sum != 500n * 0x15n + 250n) failed |= 0x20n;
  if (load64(SYSTAB + 8n) != 1004n) failed |= 0x40n;
  if (l1 != 0x1111n || l2 != 0x2222n) failed |= 0x80n;
  return failed;
}
