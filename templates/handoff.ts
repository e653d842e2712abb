// The handoff block as the blob reads it (docs/handoff.md). The layout follows C rules
// from the field list; a test checks every offset against generator/loader/layout.ts.
import { u32, u64 } from './rt/types.ts';
import { struct } from './rt/intrinsics.ts';

export const Handoff = struct({
  magic: u64, version: u32, size: u32, flags: u64,
  imageAddr: u64, imageSize: u64, initrdAddr: u64, initrdSize: u64,
  dtbAddr: u64, dtbSize: u64, cmdlineAddr: u64, cmdlineSize: u64,
  acpiRsdp: u64, smbios: u64,
  consoleKind: u32, consoleSpace: u32, consoleBase: u64, consoleShift: u32, consoleWidth: u32,
  consoleBaud: u32, consoleReserved: u32,
  psci: u32, imagePages: u32,
  rng0: u64, rng1: u64, rng2: u64, rng3: u64,
  regionCount: u32, regionMax: u32, regionsOffset: u64,
  digestCount: u32, reserved2: u32, digestsOffset: u64,
});

/** Flags bit 0: the loader says the platform booted with Secure Boot on (x86 boot_params.secure_boot). */
export const HANDOFF_FLAG_PLATFORM_SECURE_BOOT: u64 = 1n;
