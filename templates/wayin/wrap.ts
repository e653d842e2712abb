// The wrapped image's record (docs/wrap.md): where the payload lies, its check, the
// console the user chose, and whether the loader's command line is passed on. Both
// readers start here. Loads are aligned: on arm64 the MMU is still off.
import { u32, u64, type ptr } from '../rt/types.ts';
import { load32, load64, store32, store64, struct, ascii } from '../rt/intrinsics.ts';
import { Handoff } from '../handoff.ts';
import { fail } from '../fail.ts';
import { hbInit, hbRegion, hbCheck, hbConsole, REGION_TAKEN } from './build.ts';

export const WrapRecord = struct({
  magic: u64, version: u32, flags: u32, blob: u64, payload: u64, payloadSize: u64,
  payloadPages: u64, check: u64, loadedSize: u64,
  consoleKind: u32, consoleSpace: u32, consoleBase: u64, consoleShift: u32, consoleWidth: u32,
  consoleBaud: u32, consoleReserved: u32, trust: u64, trustSize: u64,
});
const RECORD_OFFSET: u64 = 0x100n;
const MAGIC: u64 = 0x4e49_5041_5257_5047n; // "GPWRAPIN"
const TRAILER_MAGIC: u64 = 0x444e_5041_5257_5047n; // "GPWRAPND"
const VERSION: u32 = 1n;
const FLAG_UKI_CMDLINE: u32 = 1n;
const FLAG_TRUST: u32 = 2n;
const TRAILER_SIZE: u64 = 16n;
const E820_USABLE: u32 = 1n;

const E_MAGIC = ascii('wrapped image: no wrap record (bad magic) at');
const E_VERSION = ascii('wrapped image: unsupported wrap record version');
const E_TRUNCATED = ascii('wrapped image: truncated by the loader: no trailer at');
const E_LENGTH = ascii('wrapped image: trailer names another length');

/** The record of the wrapped image that starts at `base`. */
export function wrapRecord(base: ptr): ptr {
  return base + RECORD_OFFSET;
}

/**
 * Checks the record and the trailer, starts the handoff block and fills what the record
 * says: the payload as the image segment (loaded in place), its check, the console.
 * The wrapped image itself is taken memory. Returns the block.
 */
export function wrapBegin(base: ptr): ptr {
  const r: ptr = wrapRecord(base);
  if (load64(r + WrapRecord.magic) != MAGIC) fail(E_MAGIC, r);
  if (load32(r + WrapRecord.version) != VERSION) fail(E_VERSION, u64(load32(r + WrapRecord.version)));
  const payload: ptr = base + load64(r + WrapRecord.payload);
  const size: u64 = load64(r + WrapRecord.payloadSize);
  // The trailer ends the loaded part; a signature a signer appended lies past it.
  const trailer: ptr = base + load64(r + WrapRecord.loadedSize) - TRAILER_SIZE;
  if (load64(trailer) != TRAILER_MAGIC) fail(E_TRUNCATED, trailer);
  if (load64(trailer + 8n) != load64(r + WrapRecord.loadedSize)) fail(E_LENGTH, load64(trailer + 8n));
  const h: ptr = hbInit();
  store64(h + Handoff.imageAddr, payload);
  store64(h + Handoff.imageSize, size);
  store32(h + Handoff.imagePages, u32(load64(r + WrapRecord.payloadPages)));
  const trusted: boolean = (load32(r + WrapRecord.flags) & FLAG_TRUST) != 0n;
  hbCheck(payload, size, load64(r + WrapRecord.check), trusted ? base + load64(r + WrapRecord.trust) : 0n);
  hbConsole(r + WrapRecord.consoleKind);
  hbRegion(base, payload - base, E820_USABLE, REGION_TAKEN);
  return h;
}

/** False when the payload is a UKI with its own .cmdline, which must win (docs/wrap.md). */
export function wrapPassesCmdline(base: ptr): boolean {
  return (load32(wrapRecord(base) + WrapRecord.flags) & FLAG_UKI_CMDLINE) == 0n;
}
