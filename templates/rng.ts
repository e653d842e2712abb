// EFI_RNG_PROTOCOL (UEFI 2.10 §37.5) offering EFI_RNG_ALGORITHM_RAW. The bytes are the
// ChaCha20 keystream (RFC 8439 §2.3) under the loader's fresh 32-byte seed: the block
// counter runs over words 12-13 (64 bits) and the rest of the nonce is zero, so no
// block is produced twice and every byte handed out is new.
import { u8, u32, u64, type ptr } from './rt/types.ts';
import { load8, load32, load64, store8, store32, store64, fnaddr, guid, struct, table, zeroed } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_UNSUPPORTED, EFI_BUFFER_TOO_SMALL } from './efi.ts';

export const RNG_PROTOCOL_GUID = guid('3152bca5-eade-433d-862e-c01cdc291f44');
export const RNG_ALGORITHM_RAW_GUID = guid('e43176d7-b6e8-4827-b784-7ffdc4b68561');

/** The interface, members in spec order. */
export const RngProtocol = struct({ getInfo: u64, getRng: u64 });

const GUID_SIZE: u64 = 16n;
const BLOCK_SIZE: u64 = 64n;

// zeroed() needs a literal size: RngProtocol.$size (the tests check).
const INTERFACE = zeroed(16n, 8n);
const KEY = zeroed(32n);
/** The 16 input words of the block function, and the 16 it works on. */
const INPUT = zeroed(64n);
const WORK = zeroed(64n);
/** The current keystream block and how much of it is spent. */
const BLOCK = zeroed(64n);
let used: u64 = 64n;
let counter: u64 = 0n;

/** A little-endian 32-bit word at any alignment. */
function le32(p: ptr): u32 {
  return u32(load8(p)) | (u32(load8(p + 1n)) << 8n) | (u32(load8(p + 2n)) << 16n) | (u32(load8(p + 3n)) << 24n);
}

function rotl(x: u32, n: u32): u32 {
  return (x << n) | (x >> (32n - n));
}

/** The ChaCha quarter round on words a, b, c, d of WORK (RFC 8439 §2.1). */
function quarterRound(a: u64, b: u64, c: u64, d: u64): void {
  let wa: u32 = load32(WORK + a * 4n);
  let wb: u32 = load32(WORK + b * 4n);
  let wc: u32 = load32(WORK + c * 4n);
  let wd: u32 = load32(WORK + d * 4n);
  wa += wb; wd = rotl(wd ^ wa, 16n);
  wc += wd; wb = rotl(wb ^ wc, 12n);
  wa += wb; wd = rotl(wd ^ wa, 8n);
  wc += wd; wb = rotl(wb ^ wc, 7n);
  store32(WORK + a * 4n, wa);
  store32(WORK + b * 4n, wb);
  store32(WORK + c * 4n, wc);
  store32(WORK + d * 4n, wd);
}

/** A double round's eight quarter rounds: columns, then diagonals (RFC 8439 §2.3). */
const QUARTERS = table(1, [
  0n, 4n, 8n, 12n, 1n, 5n, 9n, 13n, 2n, 6n, 10n, 14n, 3n, 7n, 11n, 15n,
  0n, 5n, 10n, 15n, 1n, 6n, 11n, 12n, 2n, 7n, 8n, 13n, 3n, 4n, 9n, 14n,
]);

/** Ten double rounds. */
function rounds(): void {
  for (let i: u64 = 0n; i < 80n; i++) {
    const q: ptr = QUARTERS + (i % 8n) * 4n;
    quarterRound(u64(load8(q)), u64(load8(q + 1n)), u64(load8(q + 2n)), u64(load8(q + 3n)));
  }
}

/**
 * The ChaCha20 block function: 64 keystream bytes at `out` (any alignment) from the
 * 32-byte `key` and state words 12-15 (RFC 8439: the block counter and the nonce).
 */
export function chachaBlock(key: ptr, w12: u32, w13: u32, w14: u32, w15: u32, out: ptr): void {
  store32(INPUT, 0x6170_7865n); // "expand 32-byte k"
  store32(INPUT + 4n, 0x3320_646en);
  store32(INPUT + 8n, 0x7962_2d32n);
  store32(INPUT + 12n, 0x6b20_6574n);
  for (let i: u64 = 0n; i < 8n; i++) store32(INPUT + 16n + i * 4n, le32(key + i * 4n));
  store32(INPUT + 48n, w12);
  store32(INPUT + 52n, w13);
  store32(INPUT + 56n, w14);
  store32(INPUT + 60n, w15);
  for (let i: u64 = 0n; i < 64n; i += 8n) store64(WORK + i, load64(INPUT + i));
  rounds();
  for (let i: u64 = 0n; i < 64n; i += 4n) {
    const w: u32 = load32(WORK + i) + load32(INPUT + i);
    for (let k: u64 = 0n; k < 4n; k++) store8(out + i + k, u8(w >> u32(k * 8n)));
  }
}

/** Whether the 16 bytes at `g` are EFI_RNG_ALGORITHM_RAW. */
function isRaw(g: ptr): boolean {
  for (let i: u64 = 0n; i < GUID_SIZE; i++) if (load8(g + i) != load8(RNG_ALGORITHM_RAW_GUID + i)) return false;
  return true;
}

/** GetInfo(This, RNGAlgorithmListSize*, RNGAlgorithmList): RAW, with the size probe. */
export function rngGetInfo(_this: ptr, listSizePtr: ptr, list: ptr): u64 {
  if (listSizePtr == 0n) return EFI_INVALID_PARAMETER;
  if (load64(listSizePtr) < GUID_SIZE) {
    store64(listSizePtr, GUID_SIZE);
    return EFI_BUFFER_TOO_SMALL;
  }
  if (list == 0n) return EFI_INVALID_PARAMETER;
  for (let i: u64 = 0n; i < GUID_SIZE; i++) store8(list + i, load8(RNG_ALGORITHM_RAW_GUID + i));
  store64(listSizePtr, GUID_SIZE);
  return EFI_SUCCESS;
}

/** GetRNG(This, RNGAlgorithm, RNGValueLength, RNGValue): RAW (or NULL, the default). */
export function rngGetRng(_this: ptr, algorithm: ptr, len: u64, out: ptr): u64 {
  if (out == 0n || len == 0n) return EFI_INVALID_PARAMETER;
  if (algorithm != 0n && !isRaw(algorithm)) return EFI_UNSUPPORTED;
  for (let i: u64 = 0n; i < len; i++) {
    if (used == BLOCK_SIZE) {
      chachaBlock(KEY, u32(counter), u32(counter >> 32n), 0n, 0n, BLOCK);
      counter++;
      used = 0n;
    }
    store8(out + i, load8(BLOCK + used));
    store8(BLOCK + used, 0n); // a spent byte is not kept around
    used++;
  }
  return EFI_SUCCESS;
}

/** Keys the generator with the 32 bytes at `seed`; returns the interface. */
export function rngInit(seed: ptr): ptr {
  for (let i: u64 = 0n; i < 32n; i++) store8(KEY + i, load8(seed + i));
  counter = 0n;
  used = BLOCK_SIZE;
  store64(INTERFACE + RngProtocol.getInfo, fnaddr(rngGetInfo));
  store64(INTERFACE + RngProtocol.getRng, fnaddr(rngGetRng));
  return INTERFACE;
}
