// Where the package's own files are. The CLI runs from dist/generator/ (built) or from
// generator/ (sources, under vitest), one directory deeper in the build, so files that
// ship beside the code (out/, templates/, stubs-asm/, package.json) are found from here.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The package root: the directory holding package.json. */
export const PACKAGE_ROOT: string = resolve(here, import.meta.url.endsWith('.ts') ? '..' : '../..');

/** A path under the package root, from its segments. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
