// Versions of the tools that shaped an artifact, for the manifest. Read from the
// installed packages so the same lockfile gives the same manifest on every machine.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

export interface ToolVersions {
  keystone: string;
  capstone: string;
}

export function toolVersions(): ToolVersions {
  return {
    keystone: `@alexaltea/keystone-js ${packageVersion('@alexaltea/keystone-js')}`,
    capstone: `@alexaltea/capstone-js ${packageVersion('@alexaltea/capstone-js')}`,
  };
}
