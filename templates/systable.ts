// EFI_SYSTEM_TABLE (UEFI 2.10 §4.3): the one pointer every image gets. Filled in by
// stInit once the services exist; its address never changes.
import { u64, type ptr } from './rt/types.ts';
import { struct, zeroed } from './rt/intrinsics.ts';

export const SystemTable = struct({
  signature: u64, revision: u64, crc: u64,
  firmwareVendor: u64, firmwareRevision: u64,
  consoleInHandle: u64, conIn: u64, consoleOutHandle: u64, conOut: u64,
  standardErrorHandle: u64, stdErr: u64,
  runtimeServices: u64, bootServices: u64,
  numberOfTableEntries: u64, configurationTable: u64,
});

const TABLE = zeroed(0x78n, 64n); // SystemTable.$size

/** The address of the system table images receive. */
export function systemTable(): ptr {
  return TABLE;
}
