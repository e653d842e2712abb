// expect: 8870846899431577207
// A tiny Print(): walks a CHAR16 format string, expanding %d, %x and %% from an argument table.
import { u16, u64, type ptr } from '../../../templates/rt/types.ts';
import { ucs2, table, zeroed, load16, load64, store16 } from '../../../templates/rt/intrinsics.ts';

const FMT = ucs2('mem %d MiB at 0x%x, %d%% used%c');
const ARGS = table(8, [4096n, 0xfee00000n, 37n]);
const OUT = zeroed(256n);

function emit(p: ptr, n: u64, c: u16): u64 {
  store16(p + n * 2n, c);
  return n + 1n;
}
function emitNum(p: ptr, n: u64, v: u64, base: u64): u64 {
  let digits: u64 = 1n;
  let t: u64 = v;
  while (t >= base) {
    t /= base;
    digits++;
  }
  for (let i: u64 = digits; i > 0n; i--) {
    const d: u64 = v % base;
    store16(p + (n + i - 1n) * 2n, d < 10n ? u16(d) + 48n : u16(d) + 87n);
    v /= base;
  }
  return n + digits;
}
function format(out: ptr, fmt: ptr, args: ptr): u64 {
  let n: u64 = 0n;
  let a: u64 = 0n;
  for (let i: u64 = 0n; load16(fmt + i * 2n) != 0n; i++) {
    const c: u16 = load16(fmt + i * 2n);
    if (c != 37n) {
      n = emit(out, n, c);
      continue;
    }
    i++;
    const k: u16 = load16(fmt + i * 2n);
    switch (k) {
      case 100n:
        n = emitNum(out, n, load64(args + a * 8n), 10n);
        a++;
        break;
      case 120n:
        n = emitNum(out, n, load64(args + a * 8n), 16n);
        a++;
        break;
      case 37n:
        n = emit(out, n, 37n);
        break;
      default:
        n = emit(out, n, 63n);
    }
  }
  store16(out + n * 2n, u16(0n));
  return n;
}

export function main(): u64 {
  // "mem 4096 MiB at 0xfee00000, 37% used?"
  const n: u64 = format(OUT, FMT, ARGS);
  let h: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) h = h * 97n + u64(load16(OUT + i * 2n));
  let r: u64 = 0n;
  if (n == 37n && load16(OUT + 36n * 2n) == 63n && load16(OUT + 18n * 2n) == 102n) r |= 1n;
  return (r << 63n) ^ h ^ n;
}
