// The build's last step (npm run build), after tsc: runs the front end on templates/ and
// saves its result under dist/precompiled/, which `gen-purgatory --arch A` starts from
// while templates/ and the compiler are unchanged (generator/compiler/precompiled.ts).
// Templates that do not compile save nothing: generation then reports their errors.
// Last, dist/.built marks a finished build (test/support/dist.ts compares sources to it).
import { rmSync, writeFileSync } from 'node:fs';
import { runFrontEnd, TEMPLATES_MAIN } from '../dist/generator/blob/build.js';
import { savePrecompiled } from '../dist/generator/compiler/precompiled.js';
import { packagePath } from '../dist/generator/paths.js';

try {
  const { front, read } = await runFrontEnd(TEMPLATES_MAIN);
  savePrecompiled(front, read);
} catch (err) {
  rmSync(packagePath('dist', 'precompiled'), { recursive: true, force: true });
  const what = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  process.stderr.write(`precompile: templates/ not saved (${what}); gen-purgatory --arch runs the front end\n`);
}
writeFileSync(packagePath('dist', '.built'), `${new Date().toISOString()}\n`);
