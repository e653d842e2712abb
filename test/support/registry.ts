// A throwaway npm registry on 127.0.0.1 serving the packages installed in node_modules:
// the packed tarball then installs with its dependencies without the network and
// without whatever npm's cache happens to hold (a CI machine that ran `npm ci` has
// node_modules, not necessarily the registry's metadata).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Served {
  manifest: Manifest;
  file: string;
  tarball: Buffer;
}

/** The directory `name` resolves to from `from`, as Node looks for it: up the node_modules. */
function packageDir(name: string, from: string, root: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) throw new Error(`${name} is not installed under ${root}`);
  }
}

/** `dir` packed as npm does: every file under a top-level `package/`, no nested node_modules. */
function tarball(dir: string): Buffer {
  return execFileSync('tar', ['-cz', '--exclude=./node_modules', '--transform=s,^\\.,package,', '-C', dir, '.'], { maxBuffer: 256 << 20 });
}

/** `names` and everything they depend on, found from `root`'s node_modules. */
function closure(names: string[], root: string): Map<string, Served> {
  const served = new Map<string, Served>();
  const visit = (name: string, from: string): void => {
    if (served.has(name)) return;
    const dir = packageDir(name, from, root);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const file = `${name.replace('/', '-')}-${manifest.version}.tgz`;
    served.set(name, { manifest, file, tarball: tarball(dir) });
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  names.forEach((n) => visit(n, root));
  return served;
}

function packument(s: Served, url: string): string {
  const integrity = `sha512-${createHash('sha512').update(s.tarball).digest('base64')}`;
  const version = { ...s.manifest, dist: { tarball: `${url}/-/${s.file}`, integrity } };
  return JSON.stringify({ name: s.manifest.name, 'dist-tags': { latest: s.manifest.version }, versions: { [s.manifest.version]: version } });
}

export interface Registry {
  url: string;
  close(): Promise<void>;
}

/** Serves `names` (the package's dependencies) and their dependencies until closed. */
export async function localRegistry(names: string[], root: string): Promise<Registry> {
  const served = closure(names, root);
  const byFile = new Map([...served.values()].map((s) => [s.file, s]));
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]).slice(1);
    const file = path.startsWith('-/') ? byFile.get(path.slice(2)) : undefined;
    const pkg = served.get(path);
    if (file) res.end(file.tarball);
    else if (pkg) res.setHeader('content-type', 'application/json').end(packument(pkg, url));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
