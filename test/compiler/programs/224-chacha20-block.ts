// expect: 13904403295277453115
// The emulator's ChaCha20 block function (templates/rng.ts, the EFI_RNG_PROTOCOL's
// source) compiled, on the RFC 8439 §2.3.2 test vector: key 00 01 … 1f, block counter
// 1, nonce 00 00 00 09 00 00 00 4a 00 00 00 00. The result folds the 64-byte block's
// eight little-endian quads by XOR; the RFC's block gives 0xc0f65d20dcc88f3b.
import { u8, u64 } from '../../../templates/rt/types.ts';
import { load64, store8, zeroed } from '../../../templates/rt/intrinsics.ts';
import { chachaBlock } from '../../../templates/rng.ts';

const KEY = zeroed(32n);
const OUT = zeroed(64n);

export function main(): u64 {
  for (let i: u64 = 0n; i < 32n; i++) store8(KEY + i, u8(i));
  chachaBlock(KEY, 1n, 0x0900_0000n, 0x4a00_0000n, 0n, OUT);
  let x: u64 = 0n;
  for (let i: u64 = 0n; i < 64n; i += 8n) x ^= load64(OUT + i);
  return x;
}
