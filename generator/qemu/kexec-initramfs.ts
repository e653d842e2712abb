// The first kernel's initramfs for the real-kexec harness: busybox, Debian's kexec with
// its libraries, the image to load, the next initrd, the next command line and an /init
// that loads the image with kexec and starts it. The next initrd may be such an
// initramfs again, so the kernel it starts kexecs once more (--twice). For kdump the
// /init loads it with `kexec -p` and crashes instead, and the crash kernel gets an
// initramfs that counts a pattern in /proc/vmcore (kexec-kdump.ts). Uncompressed: the
// payload is a kernel, and decompressing in a TCG guest only costs time.
import { writeCpio, type CpioEntry } from '../formats/cpio.ts';
import type { KexecUserland } from './kexec-root.ts';
import { crashInit, patternThenCrash, kdumpPreload } from './kexec-kdump.ts';

/** Lines the stage /init prints start with this. */
export const STAGE_PREFIX = 'gen-purgatory-kexec: ';
/** Capture lines start with this; base64 lines of the dumped file sit between begin and end. */
export const CAPTURE_PREFIX = 'gen-purgatory-capture: ';

/** The syscall that loads the image: kexec_load (`kexec -l`) or kexec_file_load (`-s -l`). */
export type KexecSyscall = 'kexec_load' | 'kexec_file_load';
/** exec: load, then `kexec -e`; kdump: load the crash kernel (`-p`), then crash. */
export type KexecMode = 'exec' | 'kdump';
const LOAD_FLAGS: Record<KexecMode, Record<KexecSyscall, string>> = {
  exec: { kexec_load: '-l', kexec_file_load: '-s -l' },
  kdump: { kexec_load: '-p', kexec_file_load: '-s -p' },
};

export interface StageRequest {
  userland: KexecUserland;
  image: Uint8Array;
  /** The initrd for the image; another stage initramfs for one more kexec. */
  initrd?: Uint8Array;
  /** The image's command line, passed verbatim (it is read from a file, never re-quoted); undefined: no --append. */
  cmdline?: string;
  syscall: KexecSyscall;
  /** Default exec. */
  mode?: KexecMode;
  /** Shown on the stage's lines, e.g. "stage 1 of 2". */
  label: string;
  /** Loads that must fail first (Secure Boot's controls); each is tried before the image. */
  refusals?: Refusal[];
}

/** An image the kernel must refuse to load with this syscall (kexec_load under lockdown, an unsigned image). */
export interface Refusal {
  syscall: KexecSyscall;
  image: Uint8Array;
}

/** Lines for each refusal: `kexec FLAGS /kexec/refusal-N` must fail, else the stage fails. */
function refusalLines(r: StageRequest, say: (what: string) => string): string {
  return (r.refusals ?? []).map((x, i) => {
    const cmd = `kexec ${LOAD_FLAGS.exec[x.syscall]} /kexec/refusal-${i}`;
    return `/${r.userland.kexec} ${LOAD_FLAGS.exec[x.syscall]} /kexec/refusal-${i}${r.cmdline === undefined ? '' : ' --append="$($bb cat /kexec/cmdline)"'}
status=$?
[ $status -ne 0 ] || fail "${r.label}: ${cmd} was accepted"
${say(`refused as expected: ${cmd} (status $status)`)}
`;
  }).join('');
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// Every applet is called as `$bb APPLET`: only busybox and sh exist as names. A failure
// prints the project's guest error line and powers off, so a failed load never hangs.
const PRELUDE = `#!/bin/busybox sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev 2>/dev/null
fail() {
  echo "gen-purgatory: error: $*"
  $bb poweroff -f
  echo o > /proc/sysrq-trigger
  while :; do $bb sleep 1; done
}
`;

const EXEC_TAIL = (r: StageRequest, say: (what: string) => string): string => `${say('starting it with kexec -e')}
/${r.userland.kexec} -e
fail "${r.label}: kexec -e returned with status $?"
`;

function stageInit(r: StageRequest): string {
  const mode = r.mode ?? 'exec';
  const flags = LOAD_FLAGS[mode][r.syscall];
  const initrd = r.initrd ? ' --initrd=/kexec/initrd' : '';
  const append = r.cmdline === undefined ? '' : ' --append="$($bb cat /kexec/cmdline)"';
  const say = (what: string): string => `echo "${STAGE_PREFIX}${r.label}: ${what}"`;
  return `${PRELUDE}export LD_LIBRARY_PATH=${r.userland.libDirs.map((d) => `/${d}`).join(':')}
${mode === 'kdump' ? kdumpPreload(say, r.label) : ''}${refusalLines(r, say)}${say(`loading /kexec/image with kexec ${flags}`)}
/${r.userland.kexec} ${flags} /kexec/image${initrd}${append}
status=$?
[ $status -eq 0 ] || fail "${r.label}: kexec ${flags} /kexec/image failed with status $status"
${mode === 'kdump' ? patternThenCrash(say, r.label) : EXEC_TAIL(r, say)}`;
}

function baseEntries(): CpioEntry[] {
  const dirs = ['dev', 'proc', 'sys', 'tmp', 'kexec', 'kexec/old'];
  return [
    ...dirs.map((name): CpioEntry => ({ type: 'dir', name, mode: name === 'tmp' ? 0o1777 : 0o755 })),
    { type: 'chardev', name: 'dev/console', mode: 0o600, major: 5, minor: 1 },
  ];
}

/** One stage: loads /kexec/image with /kexec/initrd and /kexec/cmdline, then kexec -e. */
export function stageInitramfs(r: StageRequest): Uint8Array {
  const payload: CpioEntry[] = [
    { type: 'file', name: 'kexec/image', data: r.image },
    { type: 'file', name: 'kexec/cmdline', data: enc(r.cmdline ?? '') },
  ];
  if (r.initrd) payload.push({ type: 'file', name: 'kexec/initrd', data: r.initrd });
  (r.refusals ?? []).forEach((x, i) => payload.push({ type: 'file', name: `kexec/refusal-${i}`, data: x.image }));
  return writeCpio([
    ...baseEntries(), ...r.userland.entries,
    { type: 'symlink', name: 'bin/sh', target: 'busybox' },
    ...payload,
    { type: 'file', name: 'init', mode: 0o755, data: enc(stageInit(r)) },
  ]);
}

export interface StagesRequest {
  userland: KexecUserland;
  image: Uint8Array;
  /** The last image's initrd. */
  initrd?: Uint8Array;
  /** The last image's command line; undefined: no --append. */
  cmdline?: string;
  /** The command line of the images in between, which must run their stage /init. */
  middleCmdline: string;
  syscall: KexecSyscall;
  /** Default exec; kdump needs count 1. */
  mode?: KexecMode;
  /** How many kexecs in a row: 1, or 2 for --twice. */
  count: number;
  /** The first stage's loads that must fail before it loads the image. */
  refusals?: Refusal[];
}

/** The first kernel's initramfs for `count` kexecs of the same image in a row. */
export function stagesInitramfs(r: StagesRequest): Uint8Array {
  let initrd = r.initrd;
  let cmdline = r.cmdline;
  for (let n = r.count; n >= 1; n--) {
    const label = r.count === 1 ? 'stage 1' : `stage ${n} of ${r.count}`;
    const mode = n === r.count ? r.mode : 'exec';
    const refusals = n === 1 ? r.refusals : undefined;
    initrd = stageInitramfs({ userland: r.userland, image: r.image, initrd, cmdline, syscall: r.syscall, mode, label, refusals });
    cmdline = r.middleCmdline;
  }
  return initrd ?? new Uint8Array(0);
}

// Dumps what the running kernel was handed, each file base64-encoded between marker
// lines. /sys/firmware/memmap is turned into text (one "start end type" line a range).
const CAPTURE_INIT = `${PRELUDE}$bb dmesg -n 1
dump() {
  [ -r "$2" ] || return 0
  echo "${CAPTURE_PREFIX}begin $1"
  $bb base64 "$2"
  echo "${CAPTURE_PREFIX}end $1"
}
dump fdt /sys/firmware/fdt
dump boot_params /sys/kernel/boot_params/data
for n in $($bb ls /sys/kernel/boot_params/setup_data 2>/dev/null | $bb sort -n); do
  d=/sys/kernel/boot_params/setup_data/$n
  dump "setup_data.$n.type-$($bb cat $d/type)" $d/data
done
dump iomem /proc/iomem
if [ -d /sys/firmware/memmap ]; then
  for n in $($bb ls /sys/firmware/memmap | $bb sort -n); do
    d=/sys/firmware/memmap/$n
    echo "$($bb cat $d/start) $($bb cat $d/end) $($bb cat $d/type)"
  done > /tmp/memmap
  dump memmap /tmp/memmap
fi
echo "${CAPTURE_PREFIX}done"
$bb poweroff -f
`;

/** An initramfs whose /init dumps the boot data the kernel got and powers off. */
export function captureInitramfs(userland: KexecUserland): Uint8Array {
  // All of the userland, not just busybox: a busybox from --kexec-root may be dynamic.
  return writeCpio([
    ...baseEntries(), ...userland.entries,
    { type: 'symlink', name: 'bin/sh', target: 'busybox' },
    { type: 'file', name: 'init', mode: 0o755, data: enc(CAPTURE_INIT) },
  ]);
}

/** The crash kernel's initramfs: reports /proc/vmcore's size and the pattern's count. */
export function kdumpInitramfs(userland: KexecUserland): Uint8Array {
  return writeCpio([
    ...baseEntries(), ...userland.entries,
    { type: 'symlink', name: 'bin/sh', target: 'busybox' },
    { type: 'file', name: 'init', mode: 0o755, data: enc(`${PRELUDE}${crashInit()}`) },
  ]);
}
