// expect: 1080863910569246772
// EFI_STATUS codes: the error bit is bit 63; EFI_ERROR() is a signed test; warnings are small.
import { u64, i64 } from '../../../templates/rt/types.ts';

const EFI_SUCCESS: u64 = 0n;
const EFI_LOAD_ERROR: u64 = 0x8000000000000001n;
const EFI_INVALID_PARAMETER: u64 = 0x8000000000000002n;
const EFI_NOT_FOUND: u64 = 0x800000000000000en;
const EFI_BUFFER_TOO_SMALL: u64 = 0x8000000000000005n;
const EFI_WARN_UNKNOWN_GLYPH: u64 = 1n;

function isError(s: u64): boolean {
  return i64(s) < 0n;
}
function code(s: u64): u64 {
  return s & 0x7fffffffffffffffn;
}
function lookup(key: u64, size: u64): u64 {
  if (size < 16n) return EFI_BUFFER_TOO_SMALL;
  if (key == 0n) return EFI_INVALID_PARAMETER;
  if (key > 100n) return EFI_NOT_FOUND;
  return EFI_SUCCESS;
}

export function main(): u64 {
  let r: u64 = 0n;
  if (!isError(EFI_SUCCESS) && !isError(EFI_WARN_UNKNOWN_GLYPH)) r |= 1n;
  if (isError(EFI_LOAD_ERROR) && isError(EFI_NOT_FOUND)) r |= 2n;
  if (code(EFI_NOT_FOUND) == 14n) r |= 4n;
  if (EFI_LOAD_ERROR > EFI_WARN_UNKNOWN_GLYPH) r |= 8n;
  let errs: u64 = 0n;
  let sum: u64 = 0n;
  for (let k: u64 = 0n; k < 120n; k += 7n) {
    const s: u64 = lookup(k, k * 2n);
    if (isError(s)) errs++;
    sum += code(s);
  }
  return (r << 56n) | (errs << 16n) | sum;
}
