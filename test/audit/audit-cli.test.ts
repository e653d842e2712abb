// `gen-purgatory audit` as a reviewer runs it: what it prints for each architecture,
// and that the JSON and the text say the same, with the source lines the stubs have.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, isOneLineError } from '../support/cli.ts';
import { ROOT } from '../support/debian.ts';
import type { FullReport } from '../../generator/audit/render.ts';

/** The 1-based line of the `nth` line of `file` matching `re`, so no line number is hard-coded. */
function lineOf(file: string, re: RegExp, nth = 0): number {
  const hits = readFileSync(join(ROOT, file), 'utf8').split('\n').flatMap((l, i) => (re.test(l) ? [i + 1] : []));
  if (hits[nth] === undefined) throw new Error(`${file}: no line ${nth} matches ${re}`);
  return hits[nth];
}

const reports = new Map<string, FullReport>();
function report(arch: string): FullReport {
  const known = reports.get(arch);
  if (known) return known;
  const r = cli(['audit', '--arch', arch, '--json']);
  expect(r.status, r.stderr).toBe(0);
  const parsed = JSON.parse(r.stdout) as FullReport;
  reports.set(arch, parsed);
  return parsed;
}

describe('audit --arch arm64', () => {
  it('lists the msr that masks interrupts at entry.s, and PSCI SYSTEM_OFF by its function ID', () => {
    const r = report('arm64');
    const daif = r.privileged.filter((p) => p.kind === 'msr' && p.detail === 'daifset');
    expect(daif.map((p) => `${p.function} ${p.file}:${p.line}`)).toEqual([
      `wayin_start stubs-asm/arm64/entry.s:${lineOf('stubs-asm/arm64/entry.s', /^\s*msr\s+daifset/)}`,
      `_start stubs-asm/arm64/entry.s:${lineOf('stubs-asm/arm64/entry.s', /^\s*msr\s+daifset/, 1)}`,
    ]);
    const hvc = r.privileged.find((p) => p.kind === 'hvc');
    expect(hvc).toMatchObject({ detail: 'function ID 0x84000008', file: 'stubs-asm/arm64/power.s', line: lineOf('stubs-asm/arm64/power.s', /^\s*hvc/) });
    const sctlr = r.privileged.filter((p) => p.kind === 'msr' && /^sctlr_el[12]$/.test(p.detail));
    expect(sctlr.map((p) => p.file)).toEqual(['stubs-asm/arm64/mmu.s', 'stubs-asm/arm64/mmu.s']);
    expect(r.privileged.some((p) => p.kind === 'tlbi' && p.detail === 'vmalle1')).toBe(true);
  });

  it('finds the UART accesses of console.s as MMIO sites, loads and stores', () => {
    const r = report('arm64');
    expect(r.mmio.length).toBeGreaterThan(0);
    for (const m of r.mmio) expect(`${m.function} ${m.file}`).toBe('uart_tx stubs-asm/arm64/console.s');
    const pl011Dr = lineOf('stubs-asm/arm64/console.s', /str\s+w0, \[x11\]\s+\/\/ UARTDR/);
    expect(r.mmio).toContainEqual(expect.objectContaining({ access: 'store', line: pl011Dr }));
    expect(r.mmio.some((m) => m.access === 'load')).toBe(true);
  });
});

describe('audit --arch x86_64', () => {
  it('lists mov to cr3, lgdt, and port I/O with the constant port of power.s', () => {
    const r = report('x86_64');
    expect(r.privileged).toContainEqual(expect.objectContaining({
      kind: 'mov to cr', detail: 'cr3', function: 'rt_mmuEnable', file: 'stubs-asm/x86_64/mmu.s', line: lineOf('stubs-asm/x86_64/mmu.s', /mov\s+%rcx, %cr3/),
    }));
    expect(r.privileged.some((p) => p.kind === 'lgdt' && p.file === 'stubs-asm/x86_64/entry.s')).toBe(true);
    const out = r.privileged.find((p) => p.kind === 'out' && p.file === 'stubs-asm/x86_64/power.s');
    expect(out?.detail).toBe('port 0xf4');
    expect(r.privileged.filter((p) => p.file === 'stubs-asm/x86_64/console.s').map((p) => p.detail)).toEqual(['port from the console base', 'port from the console base']);
  });

  it('finds the 16550 MMIO and PL011 accesses of console.s', () => {
    const r = report('x86_64');
    expect(new Set(r.mmio.map((m) => m.file))).toEqual(new Set(['stubs-asm/x86_64/console.s']));
    expect(r.mmio).toContainEqual(expect.objectContaining({ access: 'load', line: lineOf('stubs-asm/x86_64/console.s', /movl\s+0x18\(%rdx\), %eax/) }));
  });
});

describe.each(['arm64', 'x86_64'])('audit --arch %s: stack and services', (arch) => {
  it('bounds every stack below its room, and the figures agree with the functions', () => {
    const r = report(arch);
    expect(r.problems).toEqual([]);
    expect(r.stackSize).toBe(0x10000);
    const [blob, exception, image] = r.stacks;
    expect(blob).toMatchObject({ name: 'blob', size: 0x10000 - 0x800, topChecked: true });
    expect(blob.worst).toBeGreaterThan(0);
    expect(blob.worst).toBeLessThanOrEqual(blob.size as number);
    expect(exception.worst).toBeLessThanOrEqual(0x800);
    expect(image.worst).toBeGreaterThan(0);
    // The deepest chain starts at a root and its head's worst case is the stack's.
    const byName = new Map(r.functions.map((f) => [f.name, f]));
    expect(blob.from).toContain(blob.chain[0]);
    expect(byName.get('firmware__efiMain')?.worst).toBeLessThanOrEqual(blob.worst as number);
    for (const f of r.functions) if (f.worst !== null && f.frame !== null) expect(f.worst, f.name).toBeGreaterThanOrEqual(f.frame);
    expect(r.declared.map((d) => d.function)).toContain('paging__mapIn');
  });

  it('marks the UEFI services implemented or unsupported from the templates', () => {
    const bs = report(arch).services?.find((t) => t.name === 'EFI_BOOT_SERVICES');
    expect(bs?.entries).toHaveLength(44);
    const status = new Map(bs?.entries.map((e) => [e.handler, e.implemented]));
    expect(status.get('efiStartImage')).toBe(true);
    expect(status.get('createEvent')).toBe(false);
    expect(status.get('reserved')).toBe(false);
    expect(bs?.entries.find((e) => e.handler === 'efiStartImage')?.slot).toBe('23 StartImage');
    const rt = report(arch).services?.find((t) => t.name === 'EFI_RUNTIME_SERVICES');
    expect(rt?.entries.find((e) => e.handler === 'getTime')?.implemented).toBe(false);
    expect(rt?.entries.find((e) => e.handler === 'setVirtualAddressMap')?.implemented).toBe(true);
  });
});

describe('audit output', () => {
  it('prints the same counts in text as in JSON, byte-identical on a second run', () => {
    const text = cli(['audit', '--arch', 'arm64']);
    expect(text.status, text.stderr).toBe(0);
    const r = report('arm64');
    expect(text.stdout).toContain(`privileged instructions: ${r.privileged.length} (`);
    expect(text.stdout).toContain(`MMIO sites: ${r.mmio.length} `);
    expect(text.stdout).toMatch(/^ {2}blob {7}0xf800 \(63488\) +0x[0-9a-f]+ \(\d+\) +fits +checked +_start > firmware__efiMain/m);
    expect(text.stdout).toMatch(/^ {2}exception +0x800 \(2048\) +0x[0-9a-f]+ \(\d+\) +fits +checked +exc_vector > /m);
    expect(text.stdout).toMatch(/^ {2}EFI_BOOT_SERVICES \(templates\/bootservices\.ts\): \d+ implemented, \d+ unsupported$/m);
    expect(cli(['audit', '--arch', 'arm64']).stdout).toBe(text.stdout);
  });

  it('rejects bad usage in one line', () => {
    for (const args of [['audit'], ['audit', '--arch', 'sparc'], ['audit', '--diff', 'only-one'], ['audit', '--arch', 'arm64', 'extra']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(64);
      expect(isOneLineError(r), r.stderr).toBe(true);
    }
  });
});
