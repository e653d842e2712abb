// npm run build (also npm install's prepare and npm pack's): tsc compiles generator/ and
// templates/rt/ into dist/ (incrementally), outputs whose source is gone are removed, then
// scripts/precompile.js saves the front end's result for templates/. With
// --allow-type-errors (vitest's global setup, test/support/dist.ts), type errors do not
// stop the build: tsc still writes the JavaScript, which the CLI tests then run, as vitest
// runs the sources; npm run typecheck reports them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;

/** Removes dist/**.js(.map) whose .ts source no longer exists (a renamed or deleted module). */
function prune(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) prune(path);
    else if (/\.js(\.map)?$/.test(e.name) && !existsSync(join(root, relative(dist, path).replace(/\.js(\.map)?$/, '.ts')))) rmSync(path);
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

// tsc exits 2 when it reported errors but wrote every output.
const OUTPUTS_WRITTEN_WITH_ERRORS = 2;
const status = run([tsc, '-p', 'tsconfig.build.json']);
if (status !== 0) {
  if (status !== OUTPUTS_WRITTEN_WITH_ERRORS || !process.argv.includes('--allow-type-errors')) process.exit(status ?? 1);
  process.stderr.write('build: type errors above; dist/ written anyway (npm run typecheck)\n');
}
for (const sub of ['generator', 'templates']) if (existsSync(join(dist, sub))) prune(join(dist, sub));
process.exit(run(['scripts/precompile.js']) ?? 1);
