// expect: 16271425583029834481
// guid() read as u32/u16/u16 + 8 bytes and as two u64s; a CompareGuid over a table of GUIDs.
import { u64, type ptr } from '../../../templates/rt/types.ts';
import { guid, load16, load32, load64 } from '../../../templates/rt/intrinsics.ts';

const ACPI20 = guid('8868e871-e4f1-11d3-bc22-0080c73c8881');
const SMBIOS3 = guid('f2fd1544-9794-4a2c-992e-e5bbcf20e394');
const ACPI20_AGAIN = guid('8868e871-e4f1-11d3-bc22-0080c73c8881');
const FDT = guid('b1b621d5-f19c-41a5-830b-d9152c69aae0');

function same(a: ptr, b: ptr): boolean {
  return load64(a) == load64(b) && load64(a + 8n) == load64(b + 8n);
}

export function main(): u64 {
  let r: u64 = 0n;
  if (load32(ACPI20) == 0x8868e871n) r |= 1n;
  if (load16(ACPI20 + 4n) == 0xe4f1n && load16(ACPI20 + 6n) == 0x11d3n) r |= 2n;
  if (load64(ACPI20 + 8n) == 0x81883cc7800022bcn) r |= 4n;
  if (same(ACPI20, ACPI20_AGAIN)) r |= 8n;
  if (!same(ACPI20, SMBIOS3) && !same(FDT, SMBIOS3)) r |= 16n;
  if (load64(FDT) == 0x41a5f19cb1b621d5n) r |= 32n;
  return (r << 56n) ^ load64(SMBIOS3) ^ load64(SMBIOS3 + 8n) ^ u64(load32(FDT + 12n));
}
