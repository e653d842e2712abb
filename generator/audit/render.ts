// The audit report as text for a reviewer, and as JSON. Both list things in blob order
// (or by name where order carries nothing), so the same blob gives the same bytes.
import { hex } from './operands.ts';
import type { AuditReport, StackReport } from './report.ts';
import type { ServiceTable } from './services.ts';

/** The report and, when templates/ was read, the services. */
export interface FullReport extends AuditReport {
  services?: ServiceTable[];
}

/** Aligned columns; the last cell of a row is not padded. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((row) => indent + row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

const size = (n: number | null): string => (n === null ? '-' : `${hex(n)} (${n})`);

function counts(items: string[]): string {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m].sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(', ');
}

function privilegedSection(r: AuditReport): string {
  const rows = r.privileged.map((p) => [p.function, p.kind, p.detail || '-', `${p.file}:${p.line}`]);
  return `\nprivileged instructions: ${r.privileged.length} (${counts(r.privileged.map((p) => p.kind))})\n`
    + table([['function', 'kind', 'detail', 'source'], ...rows]);
}

function mmioSection(r: AuditReport): string {
  let out = `\nMMIO sites: ${r.mmio.length} (loads and stores through the console's base; docs/audit.md)\n`;
  const fns = [...new Set(r.mmio.map((m) => m.function))];
  for (const f of fns) {
    out += `  ${f}\n` + table(r.mmio.filter((m) => m.function === f).map((m) => [m.access, m.text, `${m.file}:${m.line}`]), '    ');
  }
  return out;
}

function stackRow(s: StackReport): string[] {
  const what = s.name === 'image' ? `one call from the image, deepest handler ${s.chain[0] ?? '-'}` : s.chain.join(' > ');
  const verdict = s.size === null || s.worst === null ? '' : s.worst <= s.size ? 'fits' : 'OVERFLOWS';
  const top = s.name === 'image' ? '' : s.topChecked ? 'checked' : 'set by the CPU';
  return [s.name, size(s.size), size(s.worst), verdict, top, what];
}

function stackSection(r: AuditReport): string {
  let out = `\nstack: STACK_SIZE ${size(r.stackSize)} after the zero-filled data; worst cases in bytes\n`;
  out += table([['stack', 'room', 'worst case', '', 'top', 'deepest chain'], ...r.stacks.map(stackRow)]);
  out += `  indirect calls on the blob's stacks: ${r.indirect.sites.join(', ') || 'none'}\n`;
  out += `  functions whose address is taken (${r.indirect.targets.length}), what an indirect call may reach\n`;
  for (const d of r.declared) out += `  declared: ${d.function}: ${d.fact} (${d.why})\n`;
  for (const p of r.problems) out += `  PROBLEM: ${p}\n`;
  return out;
}

function functionSection(r: AuditReport): string {
  const rows = r.functions.map((f) => [f.name, hex(f.offset), String(f.size), f.frame === null ? '-' : String(f.frame),
    f.worst === null ? '-' : String(f.worst), f.addressTaken ? 'yes' : '', `${f.file}:${f.line}`]);
  return `\nfunctions: ${r.functions.length} (frame: own deepest point; worst: with callees; bytes)\n`
    + table([['function', 'offset', 'size', 'frame', 'worst', 'address taken', 'source'], ...rows]);
}

function servicesSection(tables: ServiceTable[]): string {
  let out = '\nUEFI services and protocols (from templates/; unsupported: every return is EFI_UNSUPPORTED)\n';
  for (const t of tables) {
    const missing = t.entries.filter((e) => !e.implemented).length;
    out += `  ${t.name} (${t.file}): ${t.entries.length - missing} implemented, ${missing} unsupported\n`;
    out += table(t.entries.map((e) => [e.slot, e.handler, e.implemented ? 'implemented' : 'unsupported', `${e.file}:${e.line}`]), '    ');
  }
  return out;
}

export function renderText(r: FullReport): string {
  const head = `gen-purgatory audit: ${r.arch} blob, ${r.fileSize} bytes, memory ${r.memSize}, ${r.functions.length} functions\n`;
  return head + privilegedSection(r) + mmioSection(r) + stackSection(r) + (r.services ? servicesSection(r.services) : '') + functionSection(r);
}

export function renderJson(r: FullReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
