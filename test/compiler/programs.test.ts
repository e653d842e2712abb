// The compiler's differential corpus: every program in programs/ computes one number, stated
// in its `// expect:` header under the subset's semantics (wrap-around at each operation's
// width). The host run (with the wrap transform) and the compiled run on each architecture
// must all print exactly that number. lib/ holds helper modules without a main.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHost, runCompiled } from '../../generator/compiler/driver.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'programs');
const PROGRAMS = readdirSync(DIR).filter((f) => /^\d{3}-[\w-]+\.ts$/.test(f)).sort();
const ARCHES = ['arm64', 'x86_64'] as const;

/** The decimal from the program's first line, `// expect: <decimal>`, or undefined. */
function expected(name: string): string | undefined {
  const first = readFileSync(join(DIR, name), 'utf8').split('\n', 1)[0];
  return /^\/\/ expect: (-?\d+)\s*$/.exec(first)?.[1];
}

describe('differential corpus', () => {
  it('has programs', () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(160);
  });
});

describe.each(PROGRAMS)('%s', (name) => {
  const file = join(DIR, name);
  const want = expected(name);

  it('states its result in an // expect: header', () => {
    expect(want, `${name}: first line must be "// expect: <decimal>"`).toBeDefined();
  });

  it.skipIf(want === undefined)('host', async () => {
    expect(await runHost(file)).toBe(want);
  });

  it.skipIf(want === undefined).each(ARCHES)('compiled for %s', async (arch) => {
    expect(await runCompiled(file, arch)).toBe(want);
  });
});
