// The host's stand-in for physical memory: sparse 4 KiB pages, little-endian, every
// address valid. This and the compiled load/store ops are the only raw memory access
// in the emulator; the machine code gets the same semantics from real memory.

const PAGE = 4096n;
const pages = new Map<bigint, Uint8Array>();

function page(addr: bigint): Uint8Array {
  const key = addr / PAGE;
  let p = pages.get(key);
  if (!p) {
    p = new Uint8Array(Number(PAGE));
    pages.set(key, p);
  }
  return p;
}

export function readByte(addr: bigint): number {
  return page(addr)[Number(addr % PAGE)];
}

export function writeByte(addr: bigint, v: number): void {
  page(addr)[Number(addr % PAGE)] = v & 0xff;
}

/** Sees every access of read() and write(), the intrinsics' path (host tests check bounds with it). */
export type MemoryWatcher = (addr: bigint, width: number, isWrite: boolean) => void;
let watcher: MemoryWatcher | undefined;

/** Sets the watcher of read() and write(); called without one, removes it. */
export function watchMemory(w?: MemoryWatcher): void {
  watcher = w;
}

/** Little-endian load of `width` bytes, zero-extended. */
export function read(addr: bigint, width: number): bigint {
  watcher?.(addr, width, false);
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(readByte(BigInt.asUintN(64, addr + BigInt(i))));
  return v;
}

export function write(addr: bigint, width: number, value: bigint): void {
  watcher?.(addr, width, true);
  for (let i = 0; i < width; i++) writeByte(BigInt.asUintN(64, addr + BigInt(i)), Number((value >> BigInt(8 * i)) & 0xffn));
}

export function writeBytes(addr: bigint, bytes: Uint8Array): void {
  bytes.forEach((b, i) => writeByte(addr + BigInt(i), b));
}

export function readBytes(addr: bigint, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => readByte(addr + BigInt(i)));
}

/** Forgets all memory: each host test starts from a clean machine. */
export function resetMemory(): void {
  pages.clear();
}
