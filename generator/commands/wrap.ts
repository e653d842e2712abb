// `gen-purgatory wrap IMAGE [-o FILE] [--console SPEC] [--blob F]`: one file stock kexec
// loads as a kernel, holding the blob and IMAGE (docs/wrap.md).
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from '../args.ts';
import { packagePath } from '../paths.ts';
import { GenError, UsageError } from '../errors.ts';
import { targetByName } from '../targets/index.ts';
import { parseConsoleSpec, type ConsoleChoice } from '../loader/console.ts';
import { parseWrapped, wrapImage, type WrappedInfo } from '../formats/wrap.ts';
import type { ImageInfo } from '../formats/image.ts';
import { readBlob, readInput, readKernel } from './inputs.ts';
import { readTrustFile, trustList, type TrustCert } from '../formats/trust.ts';
import type { Command } from '../commands.ts';

const USAGE = `usage: gen-purgatory wrap IMAGE [-o FILE] [--console SPEC] [--blob F] [--trust CERT]…

Writes one file that kexec-tools (kexec -l, kexec -p) and kexec_file_load (kexec -s -l)
load as an ordinary kernel: an arm64 Image when IMAGE is an arm64 PE (EFI-stub Image,
zboot vmlinuz.efi, UKI), an x86 bzImage when it is an x86-64 PE (bzImage, UKI). Once
kexec jumps to it, the blob inside boots IMAGE through its own EFI stub, with the
command line, initrd and memory map the loader handed over. IMAGE is carried unchanged;
a UKI with its own .cmdline boots with that, not the loader's. Output is byte-identical
on every run. See docs/wrap.md.

  -o, --output FILE  where to write (default: IMAGE's file name with .wrapped appended,
                     in the current directory; a directory puts that name in it)
  --console SPEC     the UART the blob writes to, e.g. pl011,0x9000000 or 16550,io,0x3f8
                     (default: the DT's stdout-path or the command line's console= or
                     earlycon=, else the blob's built-in console)
  --blob F           the blob to wrap (default: out/<arch>/purgatory.bin)
  --trust CERT       Secure Boot (docs/secure-boot.md): an X.509 RSA certificate, PEM or
                     DER, that IMAGE's Authenticode signature must chain to; the blob
                     refuses to start IMAGE otherwise. Repeatable. The output is then
                     also a PE image, for sbsign or pesign to sign
`;

export const wrap: Command = {
  name: 'wrap',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values: v, positionals } = parse(args, {
      output: { type: 'string', short: 'o' }, console: { type: 'string' }, blob: { type: 'string' },
      trust: { type: 'string', multiple: true },
    }, 'wrap');
    if (positionals.length !== 1) throw new UsageError('wrap: exactly one IMAGE is required (try --help)');
    const imageFile = positionals[0];
    const con = wrapConsole(v.console);
    const certs = trustedCerts(v.trust as unknown as string[] | undefined);
    const out = outputPath(imageFile, v.output as string | undefined);
    const kernel = readKernel(imageFile);
    const target = targetByName(kernel.info.arch);
    const blobFile = (v.blob as string | undefined) ?? join(OUT, target.name, 'purgatory.bin'); // as readBlob
    const { blob, header } = readBlob(target, v.blob as string | undefined);
    const trust = certs.length > 0 ? trustList(certs) : undefined;
    const bytes = wrapImage({ image: kernel.data, info: kernel.info, blob, blobHeader: header, blobFile, console: con, trust });
    const wrapped = parseWrapped(bytes, out); // reads back what it will write
    writeAtomically(out, bytes);
    process.stdout.write(summary(out, wrapped, kernel.info) + certs.map(trustLine).join(''));
    return 0;
  },
};

/** Every `--trust` file's certificates, in the order given. */
function trustedCerts(files: string[] | undefined): TrustCert[] {
  return (files ?? []).flatMap((f) => readTrustFile(readInput(f, 'certificate'), f));
}

function trustLine(c: TrustCert): string {
  return `trusted ${c.subject} (RSA ${c.bits}, SHA-256 ${c.fingerprint}) from ${c.file}\n`;
}

/** `--console SPEC`. `none` cannot be recorded: kind 0 in the record means none given. */
function wrapConsole(spec: unknown): ConsoleChoice | undefined {
  if (typeof spec !== 'string') return undefined;
  const choice = parseConsoleSpec(spec);
  if (choice.kind === 'none') {
    throw new UsageError('wrap: --console none cannot be recorded (kind 0 means none given); to silence the blob, wrap one generated with --console none');
  }
  return choice;
}

function outputPath(image: string, option: string | undefined): string {
  const name = `${basename(image)}.wrapped`;
  let out = resolve(option ?? name);
  if (option !== undefined && existsSync(out) && statSync(out).isDirectory()) out = join(out, name);
  if (out === resolve(image)) throw new UsageError(`wrap: the output ${option ?? out} is IMAGE itself`);
  return out;
}

/** Through a temporary file and a rename, so a failure leaves no half-written output. */
function writeAtomically(out: string, bytes: Uint8Array): void {
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied'
      : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new GenError(`cannot write ${out}: ${why}`);
  }
}

/** The committed blobs, as readBlob finds them. */
const OUT = packagePath('out');
const h = (n: number): string => `0x${n.toString(16)}`;

function summary(out: string, w: WrappedInfo, payload: ImageInfo): string {
  const what = w.format === 'arm64-image' ? `arm64 Image, image_size ${h(w.memSize)}` : `x86 bzImage, init_size ${h(w.memSize)}`;
  const kind = payload.uki ? `uki (${payload.uki.linux.format}${w.record.ukiCmdline ? ', own .cmdline' : ''})` : payload.format;
  const trust = w.record.trusted ? `; trust list ${w.trust.length} certificate(s), PE form for signing` : '';
  return `wrote ${out}: ${what}, ${w.size} bytes; payload ${kind} ${w.record.payloadSize} bytes at ${h(w.record.payloadOffset)}; ` +
    `blob build id ${w.blob.buildId.slice(0, 16)}${trust}\n`;
}
