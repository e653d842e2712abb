// expect: 9223372044542299259
// The emulator's protocol database (templates/handles.ts) on the host and as machine
// code: install, HandleProtocol, LocateProtocol, LocateHandle, uninstall.
import { u64 } from '../../../templates/rt/types.ts';
import { load64, store64, zeroed, guid } from '../../../templates/rt/intrinsics.ts';
import { hdReset, hdInstall, hdUninstall, hdHandleProtocol, hdLocateProtocol, hdLocateHandle } from '../../../templates/handles.ts';

const OUT = zeroed(0x200n);
const A = guid('5b1b31a1-9562-11d2-8e3f-00a0c969723b');
const B = guid('4006c0c1-fcb3-403e-996d-4a6c8724e06d');

export function main(): u64 {
  hdReset();
  store64(OUT, 0n);
  let h: u64 = hdInstall(OUT, A, 0x1000n);
  const first: u64 = load64(OUT);
  h = h * 31n + hdInstall(OUT, B, 0x2000n);
  store64(OUT + 8n, 0n);
  h = h * 31n + hdInstall(OUT + 8n, B, 0x3000n);
  h = h * 31n + hdHandleProtocol(first, B, OUT + 0x10n) + load64(OUT + 0x10n);
  h = h * 31n + hdLocateProtocol(A, 0n, OUT + 0x10n) + load64(OUT + 0x10n);
  store64(OUT + 0x18n, 0x100n);
  h = h * 31n + hdLocateHandle(2n, B, 0n, OUT + 0x18n, OUT + 0x100n) + load64(OUT + 0x18n);
  h = h * 31n + (load64(OUT + 0x100n) == first ? 1n : 0n) + (load64(OUT + 0x108n) == load64(OUT + 8n) ? 2n : 0n);
  h = h * 31n + hdUninstall(first, A, 0x1000n) + hdUninstall(first, A, 0x1000n);
  return h;
}
