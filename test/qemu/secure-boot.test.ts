// Secure Boot end to end (docs/secure-boot.md), x86_64: OVMF with Secure Boot and the
// snakeoil key in db boots a snakeoil-signed Debian kernel, locked down. It refuses
// kexec_load and an unsigned wrapper, loads a signed wrapper with kexec_file_load, and
// `kexec -e` enters the blob, which verifies the UKI inside against the --trust
// certificate before systemd-stub runs it with SecureBoot reading 1. A UKI changed after
// signing is refused by the blob with one line, and the machine stops.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { debianKernel, systemdStub } from '../support/debian.ts';
import { buildInitramfs, INIT_MARKER, CMDLINE_PREFIX } from '../support/initramfs.ts';
import { buildUki } from '../support/uki.ts';
import { tempDir } from '../support/tmp.ts';
import { runKexec, judgeKexec, type KexecRun } from '../../generator/qemu/kexec.ts';
import { SNAKEOIL, snakeoilSign } from '../../generator/qemu/kexec-secureboot.ts';
import { parsePe } from '../../generator/formats/pe.ts';

const dir = tempDir('gen-purgatory-secure-boot-');
const MARKER = `gp.sb=${randomBytes(6).toString('hex')}`;
const IGNORED = 'gp.loader=must-be-ignored';
const text = (run: KexecRun): string => run.lines.map((l) => l.text).join('\n');

/** A blob built from the templates as they are now (out/ is regenerated separately). */
function blob(): string {
  const out = join(dir, 'blob');
  const r = cli(['--arch', 'x86_64', '-o', out]);
  expect(r.status, r.stderr).toBe(0);
  return join(out, 'purgatory.bin');
}

/** The UKI (systemd-stub, the Debian kernel, the test initramfs, a .cmdline with MARKER), signed. */
function signedUki(): string {
  const uki = join(dir, 'uki.efi');
  writeFileSync(uki, buildUki({
    stub: systemdStub('x86_64'), kernel: debianKernel('x86_64'),
    initrd: readFileSync(buildInitramfs('x86_64')), cmdline: `console=ttyS0 ${MARKER}`, osrel: 'ID=test\n',
  }));
  snakeoilSign(uki, `${uki}.signed`, dir);
  return `${uki}.signed`;
}

/** The same signed UKI with one byte of its .cmdline changed: its signature no longer matches. */
function tamperedUki(signed: string): string {
  const data = new Uint8Array(readFileSync(signed));
  const cmdline = parsePe(data, signed).sections.find((s) => s.name === '.cmdline');
  if (!cmdline) throw new Error('the UKI has no .cmdline');
  data[cmdline.rawOffset + 'console=ttyS0 gp.'.length] ^= 0x20; // gp.sb= -> gp.Sb=
  const out = join(dir, 'tampered.efi');
  writeFileSync(out, data);
  return out;
}

/** `wrap IMAGE --trust snakeoil`, unsigned; and signed with the snakeoil key. */
function wrapped(image: string, name: string, blobFile: string): { unsigned: string; signed: string } {
  const unsigned = join(dir, `${name}.wrapped`);
  const r = cli(['wrap', image, '--trust', SNAKEOIL.cert, '--blob', blobFile, '-o', unsigned]);
  expect(r.status, r.stderr).toBe(0);
  snakeoilSign(unsigned, `${unsigned}.signed`, dir);
  return { unsigned, signed: `${unsigned}.signed` };
}

const boot = (image: string, refusals: { syscall: 'kexec_load' | 'kexec_file_load'; image: string }[] = []): Promise<KexecRun> =>
  runKexec({
    arch: 'x86_64', firmware: 'secure-boot', image, syscall: 'kexec_file_load',
    append: `console=ttyS0 ${IGNORED}`, refusals, timeoutSec: 600,
  });

describe.concurrent('x86_64 Secure Boot: a locked-down first kernel, kexec_file_load, the blob verifies the UKI', () => {
  const blobFile = blob();
  const uki = signedUki();
  const good = wrapped(uki, 'uki', blobFile);
  const bad = wrapped(tamperedUki(uki), 'tampered', blobFile);

  it('refuses kexec_load and an unsigned wrapper; boots a signed UKI in a signed wrapper with its own .cmdline and .initrd', async () => {
    const run = await boot(good.signed, [
      { syscall: 'kexec_load', image: good.signed },
      { syscall: 'kexec_file_load', image: good.unsigned },
    ]);
    const out = text(run);
    const tail = out.slice(-5000);
    // d: kexec_load under lockdown
    expect(out, tail).toMatch(/refused as expected: kexec -l \/kexec\/refusal-0/);
    // Debian's IMA arch policy refuses it before lockdown would ("kexec of unsigned images is prohibited").
    expect(out, tail).toMatch(/ima: impossible to appraise a kernel image without a file descriptor|Lockdown: kexec: kexec of unsigned images/);
    expect(out, tail).toMatch(/kexec_load failed: (Permission denied|Operation not permitted)/);
    // c: an unsigned wrapper
    expect(out, tail).toMatch(/refused as expected: kexec -s -l \/kexec\/refusal-1/);
    expect(out, tail).toMatch(/Enforced kernel signature verification failed/);
    // a: the signed wrapper, the UKI verified by the blob, its own .cmdline and .initrd
    expect(out, tail).toContain("gen-purgatory: secure boot: the payload's Authenticode signature verifies against the --trust certificates");
    expect(out, tail).toContain(INIT_MARKER);
    // The store said SecureBoot 1: the next kernel's EFI stub saw it and the kernel locked itself down.
    const next = out.slice(out.indexOf('kexec_core: Starting new kernel'));
    expect(next, tail).toMatch(/secureboot: Secure boot enabled/);
    expect(next, tail).toMatch(/Kernel is locked down from EFI Secure Boot/);
    const cmdline = run.lines.find((l) => l.text.startsWith(CMDLINE_PREFIX))?.text ?? '';
    expect(cmdline, tail).toContain(MARKER);
    expect(cmdline, tail).not.toContain(IGNORED);
    expect(() => judgeKexec(run)).not.toThrow();
  });

  it('refuses a UKI changed after signing, inside a validly signed wrapper: one line, the machine stops', async () => {
    const run = await boot(bad.signed);
    const out = text(run);
    const tail = out.slice(-5000);
    const refused = run.lines.findIndex((l) => /^gen-purgatory: error: secure boot: .+: refusing to start the payload$/.test(l.text));
    expect(refused, tail).toBeGreaterThan(-1);
    expect(run.lines.filter((l) => l.text.startsWith('gen-purgatory: error:')), tail).toHaveLength(1);
    expect(run.lines.slice(refused + 1).some((l) => /Linux version|Booting the kernel|EFI stub/.test(l.text)), tail).toBe(false);
    expect(out, tail).not.toContain(INIT_MARKER);
    expect(run.timedOut, tail).toBe(false);
    expect(run.status, tail).toBe(0x21); // the blob's isa-debug-exit power-off
  });
});
