// purgatory.lst: every byte of the blob next to capstone's reading of it and the
// source line it came from, grouped under the symbols that name it.
import type { Layout, Placed } from './layout.ts';

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
const BYTES_PER_ROW = 8;

/** Two hex digits of every byte value, made once: the listing shows every byte. */
const BYTE_HEX = Array.from({ length: 256 }, (_, x) => hex(x, 2));

function bytesText(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) out += i === 0 ? BYTE_HEX[b[i]] : ` ${BYTE_HEX[b[i]]}`;
  return out;
}

function where(p: Placed): string {
  return `${p.line.file}:${p.line.line}`;
}

/** One placed line as one or more listing rows. */
function rows(p: Placed, blob: Uint8Array): string[] {
  const bytes = blob.subarray(p.offset, p.offset + p.size);
  const what = p.insn ?? p.line.text.trim();
  const note = p.line.comment ? `  // ${p.line.comment}` : '';
  if (p.insn) return [`${hex(p.offset, 8)}  ${bytesText(bytes).padEnd(24)}  ${what.padEnd(36)} ${where(p)}${note}`];
  const out: string[] = [];
  for (let i = 0; i < Math.max(bytes.length, 1); i += BYTES_PER_ROW) {
    const chunk = bytes.subarray(i, i + BYTES_PER_ROW);
    const first = i === 0;
    out.push(`${hex(p.offset + i, 8)}  ${bytesText(chunk).padEnd(24)}  ${(first ? what : '').padEnd(36)} ${first ? where(p) + note : ''}`.trimEnd());
  }
  return out;
}

export function writeListing(title: string, lay: Layout, blob: Uint8Array): string {
  const labels = new Map<number, string[]>();
  for (const s of lay.symbols) labels.set(s.offset, [...(labels.get(s.offset) ?? []), s.name]);
  const out = [title, '', `${'offset'.padEnd(8)}  ${'bytes'.padEnd(24)}  ${'instruction or data'.padEnd(36)} source`];
  for (const p of lay.placed) {
    if (p.size === 0 && !p.insn) continue;
    for (const name of labels.get(p.offset) ?? []) out.push('', `${' '.repeat(36)}<${name}>:`);
    labels.delete(p.offset);
    out.push(...rows(p, blob));
  }
  for (const [offset, names] of labels) for (const n of names) out.push('', `${hex(offset, 8)}  <${n}>: (end)`);
  return out.join('\n') + '\n';
}
