// expect: 1312340324
// A handle database: handles with protocol entries (GUID pointer + interface), LocateHandle by GUID.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, guid, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const Entry = struct({ handle: u64, protocol: ptr, iface: ptr });
const DB = zeroed(32n * 24n);
const GOP = guid('9042a9de-23dc-4a38-96fb-7aded080516a');
const BLOCK_IO = guid('964e5b21-6459-11d2-8e39-00a0c969723b');
const BLOCK_IO_COPY = guid('964e5b21-6459-11d2-8e39-00a0c969723b');
const SFS = guid('964e5b22-6459-11d2-8e39-00a0c969723b');
let entries: u64 = 0n;

function sameGuid(a: ptr, b: ptr): boolean {
  return load64(a) == load64(b) && load64(a + 8n) == load64(b + 8n);
}
function install(handle: u64, proto: ptr, iface: u64): void {
  const e: ptr = DB + entries * Entry.$size;
  store64(e + Entry.handle, handle);
  store64(e + Entry.protocol, proto);
  store64(e + Entry.iface, iface);
  entries++;
}
function locate(proto: ptr, nth: u64): u64 {
  let seen: u64 = 0n;
  for (let i: u64 = 0n; i < entries; i++) {
    const e: ptr = DB + i * Entry.$size;
    if (sameGuid(load64(e + Entry.protocol), proto)) {
      if (seen == nth) return load64(e + Entry.handle);
      seen++;
    }
  }
  return 0n;
}
function count(proto: ptr): u64 {
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < entries; i++) if (sameGuid(load64(DB + i * Entry.$size + Entry.protocol), proto)) n++;
  return n;
}

export function main(): u64 {
  install(1n, GOP, 0x1000n);
  install(2n, BLOCK_IO, 0x2000n);
  install(3n, BLOCK_IO_COPY, 0x3000n);
  install(3n, SFS, 0x3100n);
  install(4n, BLOCK_IO, 0x4000n);
  let h: u64 = 0n;
  h = h * 10n + count(GOP);
  h = h * 10n + count(BLOCK_IO);
  h = h * 10n + count(SFS);
  h = h * 10n + locate(BLOCK_IO_COPY, 0n);
  h = h * 10n + locate(BLOCK_IO, 1n);
  h = h * 10n + locate(BLOCK_IO, 2n);
  h = h * 10n + locate(BLOCK_IO, 3n);
  h = h * 10n + locate(SFS, 0n);
  return h * 100n + Entry.$size;
}
