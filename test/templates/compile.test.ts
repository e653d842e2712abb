// Every module of templates/ compiles, with no diagnostic, for every architecture, and
// assembles (keystone) into position-independent code.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, assemblyFor } from '../../generator/compiler/driver.ts';
import { compiledUnit } from '../../generator/blob/source.ts';
import { assemble } from '../../generator/toolchain/assembler.ts';
import { TARGETS } from '../../generator/targets/index.ts';
import { ROOT } from '../support/debian.ts';

// Every module of templates/ and its role folders; rt/ is the host's runtime, not compiled.
const modules = (readdirSync(join(ROOT, 'templates'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.startsWith('rt/'));

describe.each(TARGETS.map((t) => [t.name, t] as const))('templates/ for %s', (_arch, target) => {
  it.each(modules)('%s', async (file) => {
    const asm = assemblyFor(check(join(ROOT, 'templates', file)), target);
    // Intrinsics live in stubs-asm: bare labels stand in for them here.
    const stubs = [...new Set(asm.code.join('\n').match(/\brt_\w+/g) ?? [])].map((s) => `${s}:`);
    const unit = compiledUnit([...asm.code, ...stubs, ...asm.data, ...asm.bss]); // stubs before data: code labels stay 4-aligned
    const [a, b] = [await assemble(unit, target.asm, 0n), await assemble(unit, target.asm, 0x4000_0000n)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
