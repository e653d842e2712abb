// expect: 4718841
// Events with TPL priorities and notify functions (called through pointers with a context),
// dispatched highest priority first, FIFO within one priority.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, fnaddr, callptr, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const Event = struct({ tpl: u64, notify: ptr, context: u64, signaled: u64 });
const EVENTS = zeroed(16n * 32n);
let n: u64 = 0n;
let trace: u64 = 0n;

function notifyA(ctx: u64): u64 {
  trace = trace * 10n + ctx;
  return 0n;
}
function notifyB(ctx: u64): u64 {
  trace = trace * 10n + ctx + 5n;
  return 0n;
}

function create(tpl: u64, fn: ptr, ctx: u64): ptr {
  const e: ptr = EVENTS + n * Event.$size;
  store64(e + Event.tpl, tpl);
  store64(e + Event.notify, fn);
  store64(e + Event.context, ctx);
  n++;
  return e;
}
function signal(e: ptr): void {
  store64(e + Event.signaled, 1n);
}
function dispatch(): u64 {
  let fired: u64 = 0n;
  for (let tpl: u64 = 31n; tpl >= 4n; tpl--) {
    for (let i: u64 = 0n; i < n; i++) {
      const e: ptr = EVENTS + i * Event.$size;
      if (load64(e + Event.tpl) == tpl && load64(e + Event.signaled) != 0n) {
        store64(e + Event.signaled, 0n);
        callptr(load64(e + Event.notify), load64(e + Event.context));
        fired++;
      }
    }
  }
  return fired;
}

export function main(): u64 {
  const a: ptr = create(8n, fnaddr(notifyA), 1n);
  const b: ptr = create(16n, fnaddr(notifyB), 2n);
  const c: ptr = create(8n, fnaddr(notifyB), 3n);
  const d: ptr = create(31n, fnaddr(notifyA), 4n);
  create(4n, fnaddr(notifyA), 9n);
  signal(a);
  signal(c);
  signal(b);
  signal(d);
  const f1: u64 = dispatch();
  signal(c);
  const f2: u64 = dispatch();
  return trace * 100n + f1 * 10n + f2;
}
