// vitest's global setup: the CLI tests run bin/gen-purgatory.js, which runs the build in
// dist/. Before any test, it is rebuilt (npm run build, type errors allowed, as vitest
// runs sources that have them) when a source it comes from is newer than it, so a stale
// build can never make a test pass or fail. Runs of the suite side by side take turns
// through a lock directory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './debian.ts';

/** Written last by every build (scripts/precompile.js, even when it saves nothing). */
const STAMP = join(ROOT, 'dist', '.built');
const LOCK = join(ROOT, '.cache', 'dist-build.lock');
const SOURCES = ['generator', 'templates', 'scripts/build.js', 'scripts/precompile.js', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** A lock older than this was left by a run that died; builds take well under a minute. */
const STALE_LOCK_MS = 5 * 60_000;

function newestUnder(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestUnder(join(path, name))));
}

export function distIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestUnder(join(ROOT, s)) > built);
}

async function locked<T>(work: () => T): Promise<T> {
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export default async function setup(): Promise<void> {
  if (!distIsStale()) return;
  await locked(() => {
    if (!distIsStale()) return; // another run built it while this one waited
    execFileSync(process.execPath, ['scripts/build.js', '--allow-type-errors'], { cwd: ROOT, stdio: 'inherit' });
  });
}
