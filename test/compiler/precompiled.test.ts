// The build's saved copy of the front end's result (generator/compiler/precompiled.ts):
// loaded back, it gives the same program and the same assembly as the front end, and it
// is refused once anything it came from differs.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledTemplates, runFrontEnd, TEMPLATES_MAIN } from '../../generator/blob/build.ts';
import { loadPrecompiled, savePrecompiled } from '../../generator/compiler/precompiled.ts';
import { TARGETS } from '../../generator/targets/index.ts';
import { tempDir } from '../support/tmp.ts';

const { front, read } = await runFrontEnd(TEMPLATES_MAIN);
const dir = tempDir('gp-precompiled-');

/** Saves into `name` in the temporary directory, lets `edit` change the JSON, loads it back. */
function roundTrip(name: string, edit: (saved: Record<string, unknown>) => void = () => {}): ReturnType<typeof loadPrecompiled> {
  const file = join(dir, name);
  savePrecompiled(front, read, file);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(saved);
  writeFileSync(file, JSON.stringify(saved));
  return loadPrecompiled(file);
}

describe('the precompiled front end', () => {
  it('names every file the front end read, templates/rt among them', () => {
    expect(read).toContain('templates/main.ts');
    expect(read).toContain('templates/rt/types.ts');
  });

  it('loads back as the same program, exports and assembly for every target', () => {
    const loaded = roundTrip('same.json');
    expect(loaded).toEqual(front);
    for (const target of TARGETS) {
      expect(compiledTemplates(target, loaded!), target.name).toEqual(compiledTemplates(target, front));
    }
  });

  it('is refused when a file it came from changed', () => {
    expect(roundTrip('file.json', (s) => { (s.files as Record<string, string>)['templates/main.ts'] = '0'.repeat(64); })).toBeUndefined();
  });

  it('is refused when the compiler changed', () => {
    expect(roundTrip('compiler.json', (s) => { s.compiler = 'another'; })).toBeUndefined();
  });

  it('is refused when unreadable, and under GEN_PURGATORY_PRECOMPILED=0', () => {
    expect(loadPrecompiled(join(dir, 'none.json'))).toBeUndefined();
    roundTrip('env.json');
    process.env.GEN_PURGATORY_PRECOMPILED = '0';
    try {
      expect(loadPrecompiled(join(dir, 'env.json'))).toBeUndefined();
    } finally {
      delete process.env.GEN_PURGATORY_PRECOMPILED;
    }
  });
});
