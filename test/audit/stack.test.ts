// Generation refuses a blob whose stack could overflow or cannot be bounded: built here
// with a stack too small for the real templates, and from a test entry whose efiMain
// recurses without bound.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBlob } from '../../generator/blob/build.ts';
import { parseConsoleSpec } from '../../generator/loader/console.ts';
import { TARGETS } from '../../generator/targets/index.ts';
import { GenError } from '../../generator/errors.ts';
import { auditBlob } from '../../generator/audit/report.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

/** An entry like templates/main.ts whose firmware.ts (so firmware__efiMain) is `body`. */
function entryWith(body: string): string {
  const dir = tempDir('gp-audit-');
  writeFileSync(join(dir, 'main.ts'), `export { banner } from '${ROOT}/templates/banner.ts';
export { puts, puthex } from '${ROOT}/templates/console.ts';
export { efiMain } from './firmware.ts';
import '${ROOT}/templates/wayin/dtb.ts';
import '${ROOT}/templates/wayin/bootparams.ts';
`);
  writeFileSync(join(dir, 'firmware.ts'), `import { u64, type ptr } from '${ROOT}/templates/rt/types.ts';
${body}
`);
  return join(dir, 'main.ts');
}

/** Bytes a compiled function's prologue reserves, read from its first instructions' text. */
function prologueBytes(insns: { mnemonic: string; operands: string }[]): number {
  let bytes = 0;
  for (const i of insns.slice(0, 8)) {
    const pre = /\[sp, #-(0x[0-9a-f]+|\d+)\]!$/.exec(i.operands);
    const sub = /^(?:sp, sp|rsp), #?(0x[0-9a-f]+|\d+)$/.exec(i.operands);
    if (i.mnemonic === 'push') bytes += 8;
    else if ((i.mnemonic === 'stp' || i.mnemonic === 'str') && pre) bytes += Number(pre[1]);
    else if (i.mnemonic === 'sub' && sub) bytes += Number(sub[1]);
    else if (!(i.mnemonic === 'mov' && i.operands === 'rbp, rsp')) break;
  }
  return bytes;
}

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s stack check', (_arch, target) => {
  const console = parseConsoleSpec(target.defaultConsole);

  it('gives each compiled function at least the frame its prologue reserves', async () => {
    const a = await buildBlob(target, console, 'default');
    const r = auditBlob(a.audit, target.audit);
    let checked = 0;
    for (const f of r.functions.filter((x) => x.file.startsWith('templates/') && x.frame !== null)) {
      const insns = a.audit.insns.filter((i) => i.offset >= f.offset && i.offset < f.offset + f.size);
      const want = prologueBytes(insns);
      expect(f.frame, f.name).toBeGreaterThanOrEqual(want);
      expect(f.frame, f.name).toBeLessThan(0x1000);
      if (want > 0) checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('fails generation when the worst case exceeds STACK_SIZE', async () => {
    // 0xc00 leaves 0x400 above the 0x800 emergency stack: less than efiMain needs.
    const small = { ...target, stackSize: 0xc00 };
    const err = await buildBlob(small, console, 'default').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(GenError);
    expect((err as Error).message).toMatch(/^stack check failed: blob stack: worst case 0x[0-9a-f]+ bytes exceeds its 0x400 bytes \((_start|reload_cs) -> firmware__efiMain -> /);
    // The same blob, built for the audit, reports it instead.
    const a = await buildBlob(small, console, 'default', undefined, { stackCheck: false });
    const r = auditBlob(a.audit, target.audit);
    expect(r.stacks[0]).toMatchObject({ name: 'blob', size: 0x400 });
    expect(r.stacks[0].worst).toBeGreaterThan(0x400);
  });

  it('fails generation on recursion without a bound, naming the cycle', async () => {
    const entry = entryWith(`function deep(n: u64): u64 {
  if (n == 0n) return 0n;
  return deep(n - 1n) + 1n;
}
export function efiMain(h: ptr, _start: ptr, _end: ptr, _con: ptr): void {
  deep(h);
}`);
    await expect(buildBlob(target, console, 'default', entry)).rejects.toThrow(/recursion has no stack bound: firmware__deep -> firmware__deep/);
  });

  it('charges a callee\'s frame to its caller\'s worst case', async () => {
    const locals = Array.from({ length: 40 }, (_, i) => `  let v${i}: u64 = h + ${i}n;`).join('\n');
    const sum = Array.from({ length: 40 }, (_, i) => `v${i}`).join(' + ');
    const entry = entryWith(`function wide(h: u64): u64 {
${locals}
  return ${sum};
}
export function efiMain(h: ptr, _start: ptr, _end: ptr, _con: ptr): void {
  wide(h);
}`);
    const a = await buildBlob(target, console, 'default', entry);
    const r = auditBlob(a.audit, target.audit);
    const wide = r.functions.find((f) => f.name === 'firmware__wide');
    expect(wide?.frame).toBeGreaterThanOrEqual(40 * 8);
    // efiMain's worst case holds wide's frame below its own call, and the blob's holds that.
    const main = r.functions.find((f) => f.name === 'firmware__efiMain');
    expect(main?.worst).toBeGreaterThan(wide?.frame as number);
    expect(r.stacks[0].worst).toBeGreaterThanOrEqual(main?.worst as number);
  });
});
