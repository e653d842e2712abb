// Text on the console: strings, byte runs and hex numbers, on top of the putc
// intrinsic (the UART driver in stubs-asm, or the host's buffer).
import { u8, u64, type ptr } from './rt/types.ts';
import { load8, putc } from './rt/intrinsics.ts';

/** A NUL-terminated ASCII string. */
export function puts(s: ptr): void {
  for (let p: ptr = s; load8(p) != 0n; p++) putc(load8(p));
}

/** `n` bytes as they are. */
export function putn(s: ptr, n: u64): void {
  for (let i: u64 = 0n; i < n; i++) putc(load8(s + i));
}

/** 0x and the hex digits of `v`, without leading zeros. */
export function puthex(v: u64): void {
  putc(0x30n);
  putc(0x78n);
  let shift: u64 = 60n;
  while (shift > 0n && v >> shift == 0n) shift -= 4n;
  while (true) {
    const d: u8 = u8((v >> shift) & 0xfn);
    putc(d < 10n ? d + 0x30n : d + 0x57n);
    if (shift == 0n) break;
    shift -= 4n;
  }
}
