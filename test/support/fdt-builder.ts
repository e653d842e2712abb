// A tiny DTB writer for tests only: lets a test describe the tree it needs (aliases,
// buses with ranges, 16550s with reg-shift, reserved memory) without dtc.

export type PropValue = Uint8Array | string | string[] | number[];

export interface BuildNode {
  name: string;
  props?: Record<string, PropValue>;
  children?: BuildNode[];
}

export interface BuildOptions {
  reservations?: [bigint, bigint][];
  version?: number;
}

const enc = new TextEncoder();

/** u32 cells, big-endian. */
export function cells(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v >>> 0, false));
  return out;
}

function encodeValue(v: PropValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return enc.encode(`${v}\0`);
  if (v.every((x): x is string => typeof x === 'string')) return enc.encode(v.map((s) => `${s}\0`).join(''));
  return cells(...(v as number[]));
}

class Out {
  bytes: number[] = [];
  u32(v: number): void {
    this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x);
    while (this.bytes.length % 4 !== 0) this.bytes.push(0);
  }
}

function emitNode(node: BuildNode, s: Out, strings: Map<string, number>, strTab: number[]): void {
  s.u32(1);
  s.raw(enc.encode(`${node.name}\0`));
  for (const [name, value] of Object.entries(node.props ?? {})) {
    if (!strings.has(name)) {
      strings.set(name, strTab.length);
      strTab.push(...enc.encode(`${name}\0`));
    }
    const v = encodeValue(value);
    s.u32(3);
    s.u32(v.length);
    s.u32(strings.get(name) as number);
    s.raw(v);
  }
  for (const c of node.children ?? []) emitNode(c, s, strings, strTab);
  s.u32(2);
}

/** Header, reservation block, structure block, strings block, in the order dtc uses. */
export function buildDtb(root: BuildNode, options: BuildOptions = {}): Uint8Array {
  const s = new Out();
  const strTab: number[] = [];
  emitNode(root, s, new Map(), strTab);
  s.u32(9);
  const rsv = new Out();
  for (const [a, z] of [...(options.reservations ?? []), [0n, 0n] as [bigint, bigint]]) {
    for (const v of [a, z]) {
      rsv.u32(Number(v >> 32n));
      rsv.u32(Number(v & 0xffffffffn));
    }
  }
  const offRsv = 40;
  const offStruct = offRsv + rsv.bytes.length;
  const offStrings = offStruct + s.bytes.length;
  const total = offStrings + strTab.length;
  const h = new Out();
  for (const v of [0xd00dfeed, total, offStruct, offStrings, offRsv, options.version ?? 17, 16, 0, strTab.length, s.bytes.length]) {
    h.u32(v);
  }
  return Uint8Array.from([...h.bytes, ...rsv.bytes, ...s.bytes, ...strTab]);
}
