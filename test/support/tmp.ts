// Temporary directories for tests, removed afterwards: a test's when it finishes, one
// made at module or describe level when its file's tests are done. Not from inside a
// beforeAll/afterAll hook: make the directory at module level and use it there.
import { afterAll, onTestFinished } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory named `<prefix>XXXXXX` under the system's temporary directory. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove); // not inside a test
  }
  return dir;
}
