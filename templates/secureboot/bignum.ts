// Modular exponentiation for RSA verification: numbers of up to 4096 bits as 32-bit limbs
// (least significant first) in static buffers, Montgomery multiplication (CIOS) with
// every product in u64 arithmetic. A limb product plus two limbs, (2^32-1)^2 +
// 2(2^32-1), is exactly 2^64 - 1, so no multiply-high is needed anywhere.
import { u32, u64, type ptr } from '../rt/types.ts';
import { load8, load32, store32, zeroed } from '../rt/intrinsics.ts';

/** Limbs of the largest modulus (4096 bits). */
export const MAX_LIMBS: u64 = 128n;
/** Bytes of one number buffer: the largest modulus plus the two limbs CIOS carries. */
export const NUM_BYTES: u64 = 528n;

/** The modulus in use, its limb count and -N^-1 mod 2^32 (set by montSetup). */
let modN: ptr = 0n;
let limbs: u64 = 0n;
let mu: u64 = 0n;
/** The CIOS accumulator (n + 2 limbs), R^2 mod N, the constant 1, the base in Montgomery form. */
const T = zeroed(NUM_BYTES, 8n);
const RR = zeroed(NUM_BYTES, 8n);
const ONE = zeroed(NUM_BYTES, 8n);
const BASE = zeroed(NUM_BYTES, 8n);

function limb(a: ptr, i: u64): u64 {
  return u64(load32(a + i * 4n));
}

function setLimb(a: ptr, i: u64, v: u64): void {
  store32(a + i * 4n, u32(v));
}

/** `n` limbs from the `len` big-endian bytes at `p` (any alignment; len <= 4n). */
export function bnFromBytes(a: ptr, n: u64, p: ptr, len: u64): void {
  for (let i: u64 = 0n; i < n; i++) setLimb(a, i, 0n);
  for (let i: u64 = 0n; i < len; i++) {
    const at: u64 = i / 4n;
    setLimb(a, at, limb(a, at) | (u64(load8(p + len - 1n - i)) << ((i % 4n) * 8n)));
  }
}

/** The low byte `i` (0 least significant) of a number. */
export function bnByte(a: ptr, i: u64): u64 {
  return (limb(a, i / 4n) >> ((i % 4n) * 8n)) & 0xffn;
}

/** Whether a < b, both `n` limbs. */
export function bnLess(a: ptr, b: ptr, n: u64): boolean {
  for (let i: u64 = n; i > 0n; i--) {
    if (limb(a, i - 1n) != limb(b, i - 1n)) return limb(a, i - 1n) < limb(b, i - 1n);
  }
  return false;
}

/** a -= b over `n` limbs; the borrow out (0 or 1). */
function bnSub(a: ptr, b: ptr, n: u64): u64 {
  let borrow: u64 = 0n;
  for (let i: u64 = 0n; i < n; i++) {
    const d: u64 = limb(a, i) - limb(b, i) - borrow;
    setLimb(a, i, d);
    borrow = (d >> 32n) & 1n; // the subtraction wrapped below zero
  }
  return borrow;
}

/** a = 2a mod N, for a < N. */
function bnDoubleMod(a: ptr): void {
  let carry: u64 = 0n;
  for (let i: u64 = 0n; i < limbs; i++) {
    const x: u64 = (limb(a, i) << 1n) | carry;
    setLimb(a, i, x);
    carry = x >> 32n;
  }
  if (carry != 0n || !bnLess(a, modN, limbs)) bnSub(a, modN, limbs);
}

/** One CIOS row: T += ai * b, then T = (T + m N) / 2^32 with m making the low limb vanish. */
function montRow(ai: u64, b: ptr): void {
  const n: u64 = limbs;
  let carry: u64 = 0n;
  for (let j: u64 = 0n; j < n; j++) {
    const x: u64 = limb(T, j) + ai * limb(b, j) + carry;
    setLimb(T, j, x);
    carry = x >> 32n;
  }
  let top: u64 = limb(T, n) + carry;
  setLimb(T, n, top);
  setLimb(T, n + 1n, top >> 32n);
  const m: u64 = u64(u32(limb(T, 0n) * mu));
  carry = (limb(T, 0n) + m * limb(modN, 0n)) >> 32n;
  for (let j: u64 = 1n; j < n; j++) {
    const x: u64 = limb(T, j) + m * limb(modN, j) + carry;
    setLimb(T, j - 1n, x);
    carry = x >> 32n;
  }
  top = limb(T, n) + carry;
  setLimb(T, n - 1n, top);
  setLimb(T, n, limb(T, n + 1n) + (top >> 32n));
}

/** out = a * b / R mod N (out may be a or b); inputs below N, the result too. */
export function montMul(out: ptr, a: ptr, b: ptr): void {
  const n: u64 = limbs;
  for (let j: u64 = 0n; j < n + 2n; j++) setLimb(T, j, 0n);
  for (let i: u64 = 0n; i < n; i++) montRow(limb(a, i), b);
  // T < 2N: one subtraction at most
  if (limb(T, n) != 0n || !bnLess(T, modN, n)) bnSub(T, modN, n);
  for (let j: u64 = 0n; j < n; j++) setLimb(out, j, limb(T, j));
}

/** -x^-1 mod 2^32 for odd x, by Newton's iteration (each step doubles the correct bits). */
function negInverse(x: u64): u64 {
  let inv: u64 = x; // right to 3 bits for odd x
  for (let i: u64 = 0n; i < 5n; i++) inv = u64(u32(inv * (2n - x * inv)));
  return u64(u32(0n - inv));
}

/**
 * Prepares Montgomery arithmetic modulo the odd `n`-limb number at `N` (top limb non-zero),
 * which must stay in place while it is used: -N^-1 and R^2 mod N, R = 2^(32n).
 */
export function montSetup(N: ptr, n: u64): void {
  modN = N;
  limbs = n;
  mu = negInverse(limb(N, 0n));
  for (let i: u64 = 0n; i < n; i++) setLimb(ONE, i, i == 0n ? 1n : 0n);
  // 32n = d * 2^k with d odd; 2^(32(n-1)) < N, doubled 32 + d times, is 2^d R mod N,
  // 2^d in Montgomery form, and k Montgomery squarings make that 2^(32n) = R: R^2 mod N.
  let d: u64 = 32n * n;
  let k: u64 = 0n;
  while ((d & 1n) == 0n) { d = d >> 1n; k++; }
  for (let i: u64 = 0n; i < n; i++) setLimb(RR, i, i == n - 1n ? 1n : 0n);
  for (let i: u64 = 0n; i < 32n + d; i++) bnDoubleMod(RR);
  for (let i: u64 = 0n; i < k; i++) montMul(RR, RR, RR);
}

/** out = a^e mod N (a < N, e >= 1 and below 2^32), after montSetup. */
export function modExp(out: ptr, a: ptr, e: u64): void {
  montMul(BASE, a, RR); // a R mod N
  for (let i: u64 = 0n; i < limbs; i++) setLimb(out, i, limb(BASE, i));
  let bit: u64 = 31n;
  while (bit > 0n && ((e >> bit) & 1n) == 0n) bit--;
  while (bit > 0n) {
    bit--;
    montMul(out, out, out);
    if (((e >> bit) & 1n) != 0n) montMul(out, out, BASE);
  }
  montMul(out, out, ONE); // out of Montgomery form
}
