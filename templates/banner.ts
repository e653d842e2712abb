// The banner: the one line every blob prints first, naming what the loader planned.
import { u8, u64, type ptr } from './rt/types.ts';
import { load64, putc, ascii } from './rt/intrinsics.ts';
import { puts, putn, puthex } from './console.ts';
import { Handoff } from './handoff.ts';

const PREFIX = ascii('gen-purgatory: arch=');
const EL = ascii(' el=');
const HANDOFF = ascii(' handoff=');
const IMAGE = ascii(' image=');
const INITRD = ascii(' initrd=');
const CMDLINE = ascii(' cmdline="');

function range(label: ptr, h: ptr, addr: u64, size: u64): void {
  puts(label);
  puthex(load64(h + addr));
  putc(0x2bn); // '+'
  puthex(load64(h + size));
}

/** `arch` names the architecture; `el` is the exception level digit or '-'. */
export function banner(h: ptr, arch: ptr, el: u8): void {
  puts(PREFIX);
  puts(arch);
  puts(EL);
  putc(el);
  puts(HANDOFF);
  puthex(h);
  range(IMAGE, h, Handoff.imageAddr, Handoff.imageSize);
  range(INITRD, h, Handoff.initrdAddr, Handoff.initrdSize);
  puts(CMDLINE);
  putn(load64(h + Handoff.cmdlineAddr), load64(h + Handoff.cmdlineSize));
  putc(0x22n); // '"'
  putc(0x0an);
}
