// Program-wide rewrites of the AArch64 code (Backend.finishCode).
//
// A constant pool. movImm builds a wide constant
// in two to four instructions (movz/movn, then movk), and the same few constants recur
// all over the program (EFI status codes are 2^63 | n). When a constant's sequences,
// together, cost more than one 4-byte `ldr xN, label` each plus its 8-byte pool entry,
// each becomes that PC-relative literal load (±1 MiB), and the pool follows the code.
// It works on the finished text of the whole program, like pairLoads on one function:
// only movImm writes movz/movn followed by movk, always as consecutive lines.
//
// Literal loads. `adr xN, d` then `ldr xN/wN, [xN, #k]` (or ldrsw) becomes one
// PC-relative `ldr xN, d+k` when the program's datum d is 4-byte aligned and k a multiple
// of 4 (the literal form's offset counts words; its reach, ±1 MiB, is adr's, which the
// code relies on already). The load overwrites the address, so nothing else reads it.
import type { Datum } from '../ir.ts';

/** Bytes of one pool entry. */
const ENTRY = 8;

/** The code part of a line, without its comment. */
const codeOf = (line: string | undefined): string => {
  const cut = (line ?? '').indexOf('//'); // not split('//'): this runs on every line of the program
  return (cut < 0 ? line ?? '' : (line ?? '').slice(0, cut)).trim();
};

/** A movz/movn/movk line: kind, register, the 16-bit chunk and its shift. */
function movLine(line: string | undefined): { kind: string; reg: string; chunk: bigint; shift: bigint } | undefined {
  const code = codeOf(line);
  const m = /^(movz|movn|movk)\s+(x\d+), #(0x[0-9a-f]+)(?:, lsl #(0x[0-9a-f]+))?$/.exec(code);
  return m ? { kind: m[1], reg: m[2], chunk: BigInt(m[3]), shift: BigInt(m[4] ?? 0) } : undefined;
}

/** A constant built at line `at`: its register, value and length in lines, if one starts there. */
export function builtConstant(code: string[], at: number): { reg: string; value: bigint; length: number } | undefined {
  const first = movLine(code[at]);
  if (!first || first.kind === 'movk') return undefined;
  const set = first.chunk << first.shift;
  let value = first.kind === 'movz' ? set : BigInt.asUintN(64, ~set);
  let length = 1;
  for (let next = movLine(code[at + length]); next?.kind === 'movk' && next.reg === first.reg; next = movLine(code[at + length])) {
    value = (value & ~(0xffffn << next.shift)) | (next.chunk << next.shift);
    length++;
  }
  return length > 1 ? { reg: first.reg, value, length } : undefined;
}

const label = (v: bigint): string => `pool.k${v.toString(16)}`;

/** The code with repeated wide constants loaded from a shared pool, which it appends. */
export function shareConstants(code: string[]): string[] {
  const saved = new Map<bigint, number>(); // bytes the ldr form saves, over all uses
  for (let at = 0; at < code.length; at++) {
    const c = builtConstant(code, at);
    if (!c) continue;
    saved.set(c.value, (saved.get(c.value) ?? 0) + 4 * (c.length - 1));
    at += c.length - 1;
  }
  const pooled = [...saved].filter(([, bytes]) => bytes > ENTRY).map(([v]) => v);
  if (pooled.length === 0) return code;
  const out: string[] = [];
  for (let at = 0; at < code.length; at++) {
    const c = builtConstant(code, at);
    if (!c || !pooled.includes(c.value)) { out.push(code[at]); continue; }
    const cut = code[at].indexOf('//');
    const text = `        ${'ldr'.padEnd(7)} ${c.reg}, ${label(c.value)}`;
    out.push(cut < 0 ? text : `${text.padEnd(47)} ${code[at].slice(cut)}`);
    at += c.length - 1;
  }
  const pool = ['        .p2align 0x3', ...pooled.flatMap((v) => [`${label(v)}:`, `        .quad   0x${v.toString(16)}`])];
  return [...out, ...pool.map((l) => `${l.padEnd(47)} // constant pool`)];
}

/** `adr xN, d; ldr xN, [xN, #k]` → `ldr xN, d+k` for 4-aligned program data (see the file comment). */
export function literalLoads(code: string[], data: Datum[]): string[] {
  const aligned = new Set(data.filter((d) => d.align >= 4).map((d) => d.symbol));
  const out: string[] = [];
  for (let at = 0; at < code.length; at++) {
    const adr = /^adr\s+x(\d+), ([\w.$]+)$/.exec(codeOf(code[at]));
    const ld = /^(ldr|ldrsw)\s+([wx])(\d+), \[x(\d+)(?:, #(0x[0-9a-f]+))?\]$/.exec(codeOf(code[at + 1]));
    const k = Number(ld?.[5] ?? 0);
    if (!adr || !ld || !aligned.has(adr[2]) || ld[4] !== adr[1] || ld[3] !== adr[1] || k % 4 !== 0) { out.push(code[at]); continue; }
    const cut = code[at + 1].indexOf('//');
    const text = `        ${ld[1].padEnd(7)} ${ld[2]}${ld[3]}, ${adr[2]}${k ? `+0x${k.toString(16)}` : ''}`;
    out.push(cut < 0 ? text : `${text.padEnd(47)} ${code[at + 1].slice(cut)}`);
    at++;
  }
  return out;
}
