// The series' C wrapper (patch 0002, kexec/gen-purgatory-wrap.c) against the TypeScript
// one: compiled with the generated blob source and a stand-in for kexec-tools' kexec.h,
// for each arch (arm64 cross-built and run under qemu-user), it must accept exactly the
// PE kernels `gen-purgatory wrap` accepts among these and write the same bytes, directly
// and through the memfd kexec_file_load reads.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianKernel, systemdStub, ZBOOT_FIXTURE, ROOT, type Arch } from '../support/debian.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { PATCHES } from '../support/kexec-tools.ts';
import { parseBlobHeader } from '../../generator/blob/header.ts';
import { renderCSource } from '../../generator/blob/c-source.ts';
import { identifyImage } from '../../generator/formats/image.ts';
import { wrapImage } from '../../generator/formats/wrap.ts';
import { targetByName } from '../../generator/targets/index.ts';
import { VERSION } from '../../generator/version.ts';

const dir = tempDir('gen-purgatory-kexec-tools-wrap-');
const TRIPLET: Record<Arch, string> = { arm64: 'aarch64-linux-gnu', x86_64: 'x86_64-linux-gnu' };
const HOST: Arch | undefined = process.arch === 'arm64' ? 'arm64' : process.arch === 'x64' ? 'x86_64' : undefined;

// What gen-purgatory-wrap.c takes from kexec.h.
const KEXEC_H = `#include <stdio.h>
extern int kexec_debug;
#define dbgprintf(...) do { if (kexec_debug) fprintf(stderr, __VA_ARGS__); } while (0)
struct kexec_info { unsigned long file_mode :1; int kernel_fd; };
`;

// drv IMAGE OUT [memfd]: exit 1 when the probe refuses IMAGE, 2 when wrapping fails.
const DRIVER = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kexec/kexec.h"
#include "kexec/gen-purgatory-wrap.h"
int kexec_debug = 1;
static char *slurp(FILE *f, long *n)
{
	char *b;
	fseek(f, 0, SEEK_END); *n = ftell(f); rewind(f);
	b = malloc(*n ? *n : 1);
	if (!b || fread(b, 1, *n, f) != (size_t)*n) exit(3);
	return b;
}
int main(int argc, char **argv)
{
	struct kexec_info info = { 0, -1 };
	FILE *f = fopen(argv[1], "rb");
	char *in, *out;
	long n;
	off_t w;
	if (!f) return 3;
	in = slurp(f, &n);
	if (gp_pe_probe(in, n) < 0) return 1;
	info.file_mode = argc > 3;
	if (gp_wrap_for_load(in, n, &info, &out, &w) < 0) return 2;
	if (info.file_mode) {
		f = fdopen(info.kernel_fd, "rb");
		if (!f) return 3;
		out = slurp(f, &n);
		if (n != w) return 4;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(out, 1, w, f) != (size_t)w || fclose(f)) return 3;
	return 0;
}
`;

const drivers = new Map<Arch, string>();

/** Builds the driver for `arch` from patch 0002 (new files only: it applies to an empty tree). */
function buildDriver(arch: Arch): string {
  const tree = join(dir, arch);
  mkdirSync(join(tree, 'kexec', 'gen-purgatory'), { recursive: true });
  const patch = spawnSync('patch', ['-p1', '--quiet', '-d', tree, '-i', join(PATCHES, '0002-gen-purgatory-wrap.patch')], { encoding: 'utf8' });
  expect(patch.status, patch.stderr + patch.stdout).toBe(0);
  writeFileSync(join(tree, 'kexec', 'kexec.h'), KEXEC_H);
  const bin = new Uint8Array(readFileSync(join(ROOT, 'out', arch, 'purgatory.bin')));
  const c = renderCSource({ arch, bin, header: parseBlobHeader(bin, 'purgatory.bin'), version: VERSION, consoleSpec: 'test' });
  writeFileSync(join(tree, 'kexec', 'gen-purgatory', c.headerName), c.header);
  writeFileSync(join(tree, 'kexec', 'gen-purgatory', c.sourceName), c.source);
  writeFileSync(join(tree, 'driver.c'), DRIVER);
  const cc = arch === HOST ? 'gcc' : `${TRIPLET[arch]}-gcc`;
  const exe = join(tree, 'drv');
  const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-static', '-o', exe, 'driver.c', 'kexec/gen-purgatory-wrap.c', `kexec/gen-purgatory/${c.sourceName}`],
    { cwd: tree, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  // The patch's own code compiles without a warning.
  expect(r.stderr.split('\n').filter((l) => l.includes('gen-purgatory-wrap.c'))).toEqual([]);
  return exe;
}

interface DriverRun { status: number; out: Uint8Array; stderr: string }

function runDriver(arch: Arch, image: string, memfd = false): DriverRun {
  const out = join(dir, `out-${arch}.bin`);
  const [cmd, ...args] = [...targetByName(arch).userRunner, drivers.get(arch)!, image, out, ...(memfd ? ['memfd'] : [])];
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return { status: r.status ?? -1, out: r.status === 0 ? new Uint8Array(readFileSync(out)) : new Uint8Array(), stderr: r.stderr };
}

function tsWrap(arch: Arch, image: string): Uint8Array {
  const data = new Uint8Array(readFileSync(image));
  const blob = new Uint8Array(readFileSync(join(ROOT, 'out', arch, 'purgatory.bin')));
  return wrapImage({ image: data, info: identifyImage(data, image), blob, blobHeader: parseBlobHeader(blob, 'purgatory.bin'), blobFile: 'purgatory.bin' });
}

function uki(arch: Arch, own?: string): string {
  const file = join(dir, `uki-${arch}-${own === undefined ? 'none' : 'own'}.efi`);
  writeFileSync(file, buildUki({ stub: systemdStub(arch), kernel: debianKernel(arch), cmdline: own, osrel: 'ID=test\n' }));
  return file;
}

const other = (arch: Arch): Arch => (arch === 'arm64' ? 'x86_64' : 'arm64');

describe.each(['arm64', 'x86_64'] as const)('%s: kexec/gen-purgatory-wrap.c', (arch) => {
  beforeAll(() => { drivers.set(arch, buildDriver(arch)); });

  const same = (name: string, image: () => string, memfd = false): void => {
    it(`wraps ${name} exactly as gen-purgatory wrap does${memfd ? ', through the memfd' : ''}`, () => {
      const file = image();
      const r = runDriver(arch, file, memfd);
      expect(r.status, r.stderr).toBe(0);
      expect(Buffer.from(r.out).equals(Buffer.from(tsWrap(arch, file)))).toBe(true);
    });
  };
  same('the Debian kernel', () => debianKernel(arch));
  same('the Debian kernel', () => debianKernel(arch), true);
  same('a UKI with its own .cmdline', () => uki(arch, 'console=ttyS0 own'));
  same('a UKI without .cmdline', () => uki(arch));
  if (arch === 'arm64') same('a zboot vmlinuz.efi', () => ZBOOT_FIXTURE);

  it('refuses what the blob does not boot: another machine, a wrapped image, a stub alone, not a PE', () => {
    const wrapped = join(dir, `wrapped-${arch}`);
    writeFileSync(wrapped, tsWrap(arch, debianKernel(arch)));
    const notPe = join(dir, 'not-pe');
    writeFileSync(notPe, new Uint8Array(4096).fill(0x5a));
    for (const file of [debianKernel(other(arch)), wrapped, systemdStub(arch), notPe]) {
      expect(runDriver(arch, file).status, file).toBe(1);
    }
  });
});

describe('the series', () => {
  it('for 2.0.32 carries the same wrapper (patch 0002) as for 2.0.25', () => {
    const name = '0002-gen-purgatory-wrap.patch';
    expect(readFileSync(join(PATCHES, '..', 'patches-2.0.32', name)).equals(readFileSync(join(PATCHES, name)))).toBe(true);
  });
});
