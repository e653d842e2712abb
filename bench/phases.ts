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
const { parseBlobHeader } = await built<typeof import('../generator/blob/header.ts')>('generator/blob/header.ts');
const { writeDwarf } = await built<typeof import('../generator/blob/dwarf.ts')>('generator/blob/dwarf.ts');
const { blobFromLayout } = await built<typeof import('../generator/audit/load.ts')>('generator/audit/load.ts');
const { checkStacks } = await built<typeof import('../generator/audit/report.ts')>('generator/audit/report.ts');
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
const compiled = await phase('back end', () => compiledTemplates(target, front));
const unit = blobUnit(target, consoleEquates(parseConsoleSpec(target.defaultConsole)), compiled);
const bin = await phase('keystone, first assembly', () => assemble(unit, target.asm, 0n));
await phase('keystone, second assembly', () => assemble(unit, target.asm, 0x7654_3000n));
const lay = await phase('capstone (layout)', () => layout(unit, bin, target.disasm, 0n));
await phase('listing', () => writeListing('', lay, bin));
// As buildBlob does them: the stack bound over the file part, then the DWARF for the ELF.
const fileEnd = lay.symbols.find((x) => x.name === '__file_end')?.offset ?? bin.length;
const header = parseBlobHeader(bin.slice(0, fileEnd), '<bench>');
await phase('stack check (audit)', () => checkStacks(blobFromLayout(target.name, lay, bin.slice(0, fileEnd), header), target.audit));
await phase('DWARF', () => writeDwarf({
  arch: target.name, lay, functions: compiled.functions ?? [], entries: [header.entryOffset, header.wayinOffset], producer: 'bench', base: 0,
}));
process.stdout.write(`${JSON.stringify(times)}\n`);
