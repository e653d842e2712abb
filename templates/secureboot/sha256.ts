// SHA-256 (FIPS 180-4) over memory ranges, incrementally: sha256Init, sha256Update any
// number of times with ranges of any alignment, sha256Final. The context lives in memory
// the caller owns (SHA256_CTX_SIZE bytes, 8-aligned, from zeroed()), so the image hash and
// the signature's own digests can run side by side without allocation.
import { u8, u32, u64, type ptr } from '../rt/types.ts';
import { load8, load32, load64, store8, store32, store64, table, zeroed } from '../rt/intrinsics.ts';

/** Context layout: state words, bytes hashed so far, bytes buffered, the partial block. */
const CTX_STATE: u64 = 0n;
const CTX_TOTAL: u64 = 32n;
const CTX_USED: u64 = 40n;
const CTX_BLOCK: u64 = 48n;
export const SHA256_CTX_SIZE: u64 = 112n;
export const SHA256_SIZE: u64 = 32n;
const BLOCK: u64 = 64n;

const K = table(4, [
  0x428a2f98n, 0x71374491n, 0xb5c0fbcfn, 0xe9b5dba5n, 0x3956c25bn, 0x59f111f1n, 0x923f82a4n, 0xab1c5ed5n,
  0xd807aa98n, 0x12835b01n, 0x243185ben, 0x550c7dc3n, 0x72be5d74n, 0x80deb1fen, 0x9bdc06a7n, 0xc19bf174n,
  0xe49b69c1n, 0xefbe4786n, 0x0fc19dc6n, 0x240ca1ccn, 0x2de92c6fn, 0x4a7484aan, 0x5cb0a9dcn, 0x76f988dan,
  0x983e5152n, 0xa831c66dn, 0xb00327c8n, 0xbf597fc7n, 0xc6e00bf3n, 0xd5a79147n, 0x06ca6351n, 0x14292967n,
  0x27b70a85n, 0x2e1b2138n, 0x4d2c6dfcn, 0x53380d13n, 0x650a7354n, 0x766a0abbn, 0x81c2c92en, 0x92722c85n,
  0xa2bfe8a1n, 0xa81a664bn, 0xc24b8b70n, 0xc76c51a3n, 0xd192e819n, 0xd6990624n, 0xf40e3585n, 0x106aa070n,
  0x19a4c116n, 0x1e376c08n, 0x2748774cn, 0x34b0bcb5n, 0x391c0cb3n, 0x4ed8aa4an, 0x5b9cca4fn, 0x682e6ff3n,
  0x748f82een, 0x78a5636fn, 0x84c87814n, 0x8cc70208n, 0x90befffan, 0xa4506cebn, 0xbef9a3f7n, 0xc67178f2n,
]);
const H0 = table(4, [0x6a09e667n, 0xbb67ae85n, 0x3c6ef372n, 0xa54ff53an, 0x510e527fn, 0x9b05688cn, 0x1f83d9abn, 0x5be0cd19n]);

/** The message schedule of the block being compressed. */
const W = zeroed(256n, 8n);
/** The working variables a..h. */
const V = zeroed(32n, 8n);
/** The context of sha256(): one-shot digests. */
const ONE_SHOT = zeroed(SHA256_CTX_SIZE, 8n);

/** A big-endian word at `p`: one aligned load where the alignment allows. */
function be32(p: ptr): u32 {
  if ((p & 3n) == 0n) {
    const x: u32 = load32(p);
    return (x << 24n) | ((x & 0xff00n) << 8n) | ((x >> 8n) & 0xff00n) | (x >> 24n);
  }
  return (u32(load8(p)) << 24n) | (u32(load8(p + 1n)) << 16n) | (u32(load8(p + 2n)) << 8n) | u32(load8(p + 3n));
}

/** The 64 schedule words of the block at `p`; rotations written out (a call per rotation costs more than the rotation). */
function schedule(p: ptr): void {
  for (let t: u64 = 0n; t < 16n; t++) store32(W + t * 4n, be32(p + t * 4n));
  for (let q: ptr = W + 64n; q < W + 256n; q += 4n) {
    const w15: u32 = load32(q - 60n);
    const w2: u32 = load32(q - 8n);
    const s0: u32 = ((w15 >> 7n) | (w15 << 25n)) ^ ((w15 >> 18n) | (w15 << 14n)) ^ (w15 >> 3n);
    const s1: u32 = ((w2 >> 17n) | (w2 << 15n)) ^ ((w2 >> 19n) | (w2 << 13n)) ^ (w2 >> 10n);
    store32(q, load32(q - 64n) + s0 + load32(q - 28n) + s1);
  }
}

/** Compresses the block at `p` (any alignment) into the context's state. */
function compress(ctx: ptr, p: ptr): void {
  schedule(p);
  const s: ptr = ctx + CTX_STATE;
  let a: u32 = load32(s);
  let b: u32 = load32(s + 4n);
  let c: u32 = load32(s + 8n);
  let d: u32 = load32(s + 12n);
  let e: u32 = load32(s + 16n);
  let f: u32 = load32(s + 20n);
  let g: u32 = load32(s + 24n);
  let h: u32 = load32(s + 28n);
  for (let t: u64 = 0n; t < 256n; t += 4n) {
    const s1: u32 = ((e >> 6n) | (e << 26n)) ^ ((e >> 11n) | (e << 21n)) ^ ((e >> 25n) | (e << 7n));
    const t1: u32 = h + s1 + ((e & f) ^ (~e & g)) + load32(K + t) + load32(W + t);
    const s0: u32 = ((a >> 2n) | (a << 30n)) ^ ((a >> 13n) | (a << 19n)) ^ ((a >> 22n) | (a << 10n));
    const t2: u32 = s0 + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store32(V, a);
  store32(V + 4n, b);
  store32(V + 8n, c);
  store32(V + 12n, d);
  store32(V + 16n, e);
  store32(V + 20n, f);
  store32(V + 24n, g);
  store32(V + 28n, h);
  for (let i: u64 = 0n; i < 32n; i += 4n) store32(s + i, load32(s + i) + load32(V + i));
}

/** Starts a digest in the context at `ctx`. */
export function sha256Init(ctx: ptr): void {
  for (let i: u64 = 0n; i < 32n; i += 4n) store32(ctx + CTX_STATE + i, load32(H0 + i));
  store64(ctx + CTX_TOTAL, 0n);
  store64(ctx + CTX_USED, 0n);
}

/** Hashes the `n` bytes at `p` (any alignment) into the context. */
export function sha256Update(ctx: ptr, p: ptr, n: u64): void {
  store64(ctx + CTX_TOTAL, load64(ctx + CTX_TOTAL) + n);
  let q: ptr = p;
  let left: u64 = n;
  let used: u64 = load64(ctx + CTX_USED);
  while (left > 0n) {
    if (used == 0n && left >= BLOCK) {
      // whole blocks straight from the range, no copy
      compress(ctx, q);
      q += BLOCK;
      left -= BLOCK;
      continue;
    }
    store8(ctx + CTX_BLOCK + used, load8(q));
    q++;
    left--;
    used++;
    if (used == BLOCK) {
      compress(ctx, ctx + CTX_BLOCK);
      used = 0n;
    }
  }
  store64(ctx + CTX_USED, used);
}

/** Pads, finishes the digest and writes its 32 bytes at `out` (any alignment). */
export function sha256Final(ctx: ptr, out: ptr): void {
  const bits: u64 = load64(ctx + CTX_TOTAL) << 3n;
  let used: u64 = load64(ctx + CTX_USED);
  store8(ctx + CTX_BLOCK + used, 0x80n);
  used++;
  if (used > BLOCK - 8n) {
    while (used < BLOCK) { store8(ctx + CTX_BLOCK + used, 0n); used++; }
    compress(ctx, ctx + CTX_BLOCK);
    used = 0n;
  }
  while (used < BLOCK - 8n) { store8(ctx + CTX_BLOCK + used, 0n); used++; }
  for (let i: u64 = 0n; i < 8n; i++) store8(ctx + CTX_BLOCK + BLOCK - 1n - i, u8(bits >> (i * 8n)));
  compress(ctx, ctx + CTX_BLOCK);
  for (let i: u64 = 0n; i < 8n; i++) {
    const w: u32 = load32(ctx + CTX_STATE + i * 4n);
    for (let j: u64 = 0n; j < 4n; j++) store8(out + i * 4n + j, u8(w >> u32(24n - j * 8n)));
  }
}

/** The digest of the `n` bytes at `p`, written at `out`. */
export function sha256(p: ptr, n: u64, out: ptr): void {
  sha256Init(ONE_SHOT);
  sha256Update(ONE_SHOT, p, n);
  sha256Final(ONE_SHOT, out);
}
