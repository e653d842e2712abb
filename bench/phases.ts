// One cold generation, phase by phase, in a fresh process (bench/cli.ts starts it), with
// the build in dist/ that the CLI runs: prints {phase: ms} as JSON. `front` as the second
// argument runs the front end itself (loading ts-morph) instead of loading the build's
// precompiled copy.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../test/support/debian.ts';

/** A module of the build, typed as its source. */
const built = async <T>(source: string): Promise<T> =>
  (await import(pathToFileURL(join(ROOT, 'dist', source.replace(/\.ts$/, '.js'))).href)) as T;

const { targetByName } = await built<typeof import('../generator/targets/index.ts')>('generator/targets/index.ts');
const { compiledTemplates, runFrontEnd, TEMPLATES_MAIN } = await built<typeof import('../generator/blob/build.ts')>('generator/blob/build.ts');
const { blobUnit } = await built<typeof import('../generator/blob/source.ts')>('generator/blob/source.ts');
const { consoleEquates } = await built<typeof import('../generator/loader/layout.ts')>('generator/loader/layout.ts');
const { parseConsoleSpec } = await built<typeof import('../generator/loader/console.ts')>('generator/loader/console.ts');
const { assemble } = await built<typeof import('../generator/toolchain/assembler.ts')>('generator/toolchain/assembler.ts');
const { layout } = await built<typeof import('../generator/blob/layout.ts')>('generator/blob/layout.ts');
const { writeListing } = await built<typeof import('../generator/blob/listing.ts')>('generator/blob/listing.ts');
const { loadPrecompiled } = await built<typeof import('../generator/compiler/precompiled.ts')>('generator/compiler/precompiled.ts');

const times: Record<string, number> = {};
async function phase<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await work();
  times[name] = performance.now() - t0;
  return r;
}

const target = targetByName(process.argv[2] ?? 'arm64');
const front = await phase('front end', async () => {
  if (process.argv[3] === 'front') return (await runFrontEnd(TEMPLATES_MAIN)).front;
  const saved = loadPrecompiled();
  if (!saved) throw new Error('dist/ holds no current precompiled copy: run npm run build');
  return saved;
});
const unit = await phase('back end', () => blobUnit(target, consoleEquates(parseConsoleSpec(target.defaultConsole)), compiledTemplates(target, front)));
const bin = await phase('keystone, first assembly', () => assemble(unit, target.asm, 0n));
await phase('keystone, second assembly', () => assemble(unit, target.asm, 0x7654_3000n));
const lay = await phase('capstone (layout)', () => layout(unit, bin, target.disasm, 0n));
await phase('listing', () => writeListing('', lay, bin));
process.stdout.write(`${JSON.stringify(times)}\n`);
