// kdump in the real-kexec harness: the first kernel boots with crashkernel=, loads the
// image with `kexec -p`, fills a tmpfs file with a known pattern and crashes with sysrq;
// the crash kernel's /init counts that pattern in /proc/vmcore, so a run shows whether
// the old kernel's memory came through intact. Here: the pattern, the shell text of both
// sides and the reading of a run's console lines. The archives are built in
// kexec-initramfs.ts.
import type { ConsoleLine } from './kexec.ts';

/** Lines the crash kernel's /init prints start with this. */
export const KDUMP_PREFIX = 'gen-purgatory-kdump: ';

/** The same marker and command-line prefix as the test initramfs (test/support/initramfs.ts). */
export const KDUMP_INIT_MARKER = 'GEN-PURGATORY-MARKER: init reached';
export const KDUMP_CMDLINE_PREFIX = 'cmdline: ';

/** crashkernel= for the first kernel unless the request names another size. */
export const DEFAULT_CRASHKERNEL = '256M';

/** Appended to the crash kernel's command line, as kdump-tools' KDUMP_CMDLINE_APPEND does. */
export const KDUMP_APPEND = 'nr_cpus=1 reset_devices';

/**
 * One record of the pattern: 63 characters and a newline, 64 bytes. 64 divides 4096, so a
 * page of the tmpfs file holds 64 whole records and none straddles a page, wherever the
 * pages lie in physical memory.
 */
export const PATTERN_RECORD = 'GEN-PURGATORY-KDUMP-OLD-MEMORY-PATTERN-RECORD-0123456789-ZYXWVU';
export const PATTERN_BYTES = 32 * 0x10_0000;
export const PATTERN_RECORDS = PATTERN_BYTES / (PATTERN_RECORD.length + 1);

/** The first kernel's command-line additions: the reservation and zeroing freed pages. */
export function firstKdumpAppend(crashkernel: string): string {
  // init_on_free=1: the pipes and buffers that carried the pattern into tmpfs are
  // zeroed when freed, so the file's pages are the only copies left in old memory
  // (without it an x86_64 run counted 1215 stale records too many).
  return `crashkernel=${crashkernel} init_on_free=1`;
}

const rot13 = (s: string): string =>
  s.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

// The scripts hold only the record's rot13 form and turn it back with tr in a child
// process: the pattern itself is never in a file or in the long-lived shell, so every
// copy the crash kernel counts is one the first kernel wrote into tmpfs.
const ROT13_TR = "$bb tr 'A-Za-z' 'N-ZA-Mn-za-m'";
const HIDDEN_RECORD = rot13(PATTERN_RECORD);

/**
 * The first kernel's /init after `kexec -p` succeeded: checks the crash kernel is loaded,
 * writes PATTERN_BYTES of records into a tmpfs file, then crashes. `say` prints a stage
 * line; `fail` (from the prelude) prints the guest error line and powers off.
 */
export function patternThenCrash(say: (what: string) => string, label: string): string {
  const file = '/kexec/old/pattern';
  return `[ "$($bb cat /sys/kernel/kexec_crash_loaded)" = 1 ] || fail "${label}: kexec -p succeeded but /sys/kernel/kexec_crash_loaded is not 1"
$bb mount -t tmpfs tmpfs /kexec/old || fail "${label}: cannot mount tmpfs"
$bb yes '${HIDDEN_RECORD}' | ${ROT13_TR} | $bb head -c ${PATTERN_BYTES} > ${file}
[ "$($bb stat -c %s ${file})" = ${PATTERN_BYTES} ] || fail "${label}: writing the pattern into tmpfs failed"
$bb sync
${say(`wrote ${PATTERN_RECORDS} pattern records (${PATTERN_BYTES} bytes) into tmpfs; crashing with sysrq c`)}
echo c > /proc/sysrq-trigger
fail "${label}: echo c > /proc/sysrq-trigger returned"
`;
}

/**
 * Lines before `kexec -p`. The reservation must exist, or the load fails obscurely. And
 * on arm64, kexec-tools (2.0.25 and still 2.0.32) computes the vmcore's kernel-text
 * segment and PAGE_OFFSET from `_text` in /proc/kallsyms, which a kernel without
 * CONFIG_KALLSYMS_ALL (Debian's cloud-arm64 one) does not list: the segment then gets a
 * wild offset and size and the crash kernel oopses reading /proc/vmcore. So /init lays
 * a copy with `_text` over /proc/kallsyms: `_stext` - 64 KiB, as arm64's linker script
 * starts .text one 64 KiB SEGMENT_ALIGN after the image (the PE .text RVA says so too).
 */
export function kdumpPreload(say: (what: string) => string, label: string): string {
  return `size=$($bb cat /sys/kernel/kexec_crash_size)
range=$($bb grep -m 1 'Crash kernel' /proc/iomem | $bb tr -d ' ' | $bb cut -d : -f 1)
${say('crash kernel reservation: $size bytes at $range')}
[ "$size" != 0 ] || fail "${label}: no crash kernel reservation (/sys/kernel/kexec_crash_size is 0): crashkernel= missing or too large"
if [ "$($bb uname -m)" = aarch64 ] && ! $bb grep -q ' _text$' /proc/kallsyms; then
  stext=$($bb grep ' _stext$' /proc/kallsyms | $bb cut -d ' ' -f 1)
  [ -n "$stext" ] || fail "${label}: neither _text nor _stext in /proc/kallsyms"
  text=$(printf '%016x' $((0x$stext - 0x10000)))
  { echo "$text T _text"; $bb cat /proc/kallsyms; } > /tmp/kallsyms
  $bb mount --bind /tmp/kallsyms /proc/kallsyms || fail "${label}: cannot bind a copy over /proc/kallsyms"
  ${say('/proc/kallsyms has no _text (no CONFIG_KALLSYMS_ALL); giving kexec-tools _text = _stext - 64 KiB = $text')}
fi
`;
}

// Shell functions of the crash /init. /proc/vmcore is an ELF core file; its PT_LOADs
// can overlap (kexec-tools adds one for the kernel image, which the System RAM ones
// cover too, and freed init memory inside it holds page cache), so each physical range
// is read once: PT_LOADs sorted by address, each from where the previous ones ended.
// NULs become newlines before grep, as busybox grep reads whole lines and old memory
// has long runs of zeros; a record is then on a line of its own (possibly after bytes
// of the page before it), so `grep -c` counts records exactly.
const VMCORE_FUNCTIONS = `u() { $bb od -A n -t u$2 -j $1 -N $2 /proc/vmcore | $bb tr -d ' \\n'; }
loads() {
  phoff=$(u 32 8); phnum=$(u 56 2); i=0
  while [ $i -lt $phnum ]; do
    ph=$((phoff + i * 56))
    [ "$(u $ph 4)" = 1 ] && echo "$(u $((ph + 24)) 8) $(u $((ph + 8)) 8) $(u $((ph + 32)) 8)"
    i=$((i + 1))
  done | $bb sort -n
}
count() {
  covered=0; total=0; ranges=0; bytes=0
  while read paddr off size; do
    start=$paddr; end=$((paddr + size))
    [ $start -lt $covered ] && start=$covered
    if [ $start -lt $end ]; then
      n=$($bb dd if=/proc/vmcore bs=1M iflag=skip_bytes,count_bytes skip=$((off + start - paddr)) count=$((end - start)) 2>/dev/null |
        $bb tr -s '\\000' '\\n' | $bb grep -c -F "$pat")
      total=$((total + n)); ranges=$((ranges + 1)); bytes=$((bytes + end - start))
    fi
    [ $end -gt $covered ] && covered=$end
  done
  echo "$total $ranges $bytes"
}
`;

/** The crash kernel's /init after the prelude: /proc/vmcore's size and the pattern's count. */
export function crashInit(): string {
  const say = (what: string): string => `echo "${KDUMP_PREFIX}${what}"`;
  return `$bb dmesg -n 1
[ -r /proc/vmcore ] || fail "kdump: the crash kernel has no /proc/vmcore"
${say('vmcore bytes $($bb stat -c %s /proc/vmcore)')}
${VMCORE_FUNCTIONS}pat=$(echo '${HIDDEN_RECORD}' | ${ROT13_TR})
set -- $(loads | count)
${say('read $2 ranges of old memory, $3 bytes, each once')}
${say(`pattern $1 of ${PATTERN_RECORDS}`)}
echo "${KDUMP_INIT_MARKER}"
printf '%s' "${KDUMP_CMDLINE_PREFIX}"
$bb cat /proc/cmdline
$bb poweroff -f
echo o > /proc/sysrq-trigger
`;
}

/** The first kernel's panic; the sysrq crash gives "… not syncing: sysrq triggered crash". */
const PANIC = /Kernel panic - not syncing/;
/** Printed only when a panic did not start a crash kernel. */
const PANIC_END = /---\[ end Kernel panic/;
/** The first line Linux prints: arm64 at KERN_INFO, then the banner at KERN_NOTICE. */
const KERNEL_FIRST_LINE = /(Booting Linux on physical CPU|Linux version )/;
const VMCORE = new RegExp(`${KDUMP_PREFIX}vmcore bytes (\\d+)`);
const COUNT = new RegExp(`${KDUMP_PREFIX}pattern (\\d+) of (\\d+)`);

/** What a kdump run's console shows; indexes are into the run's lines. */
export interface KdumpMarks {
  /** The first kernel's "Kernel panic - not syncing" line. */
  panic?: number;
  /** The crash kernel's first line: Linux's first line after the panic line. */
  crashKernel?: number;
  /** A panic in the crash kernel, or the end of a panic report that started none. */
  failedPanic?: number;
  vmcoreBytes?: number;
  pattern?: { found: number; expected: number };
}

function findFrom(lines: ConsoleLine[], re: RegExp, from: number): number | undefined {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i].text)) return i;
  return undefined;
}

/** Finds the panic line, the crash kernel's first line and the crash /init's report. */
export function kdumpMarks(lines: ConsoleLine[]): KdumpMarks {
  const m: KdumpMarks = {};
  m.panic = findFrom(lines, PANIC, 0);
  if (m.panic !== undefined) m.crashKernel = findFrom(lines, KERNEL_FIRST_LINE, m.panic + 1);
  if (m.crashKernel !== undefined) m.failedPanic = findFrom(lines, PANIC, m.crashKernel + 1);
  else if (m.panic !== undefined) m.failedPanic = findFrom(lines, PANIC_END, m.panic + 1);
  for (const l of lines) {
    const v = VMCORE.exec(l.text);
    if (v) m.vmcoreBytes = Number(v[1]);
    const c = COUNT.exec(l.text);
    if (c) m.pattern = { found: Number(c[1]), expected: Number(c[2]) };
  }
  return m;
}

/** Milliseconds from the first kernel's panic line to the crash kernel's first line. */
export function panicToCrashKernelMs(lines: ConsoleLine[]): number | undefined {
  const m = kdumpMarks(lines);
  if (m.panic === undefined || m.crashKernel === undefined) return undefined;
  return lines[m.crashKernel].ms - lines[m.panic].ms;
}

/**
 * A panic that is a failure even in kdump mode: one in the crash kernel, or the first
 * kernel's that ended its report without starting a crash kernel.
 */
export function kdumpPanicFailure(lines: ConsoleLine[]): string | undefined {
  const m = kdumpMarks(lines);
  if (m.failedPanic === undefined || m.panic === undefined) return undefined;
  if (m.crashKernel === undefined) return `the first kernel panicked but no crash kernel started: ${lines[m.panic].text.trim()}`;
  return `the crash kernel panicked: ${lines[m.failedPanic].text.trim()}`;
}

/**
 * Why a finished kdump run failed, or undefined. The first kernel's panic is expected;
 * the crash kernel must start after it and not panic itself. With the harness's own
 * crash initrd (`counted`) it must also report the whole pattern.
 */
export function kdumpFailure(lines: ConsoleLine[], counted: boolean): string | undefined {
  const m = kdumpMarks(lines);
  const panic = kdumpPanicFailure(lines);
  if (panic !== undefined) return panic;
  if (m.panic === undefined) return 'the first kernel did not panic (no "Kernel panic - not syncing" line)';
  if (m.crashKernel === undefined) return `the first kernel panicked but no crash kernel started: ${lines[m.panic].text.trim()}`;
  if (!counted) return undefined;
  if (m.vmcoreBytes === undefined || m.pattern === undefined) return 'the crash kernel did not report /proc/vmcore (no "gen-purgatory-kdump:" lines)';
  if (m.pattern.found !== m.pattern.expected) {
    return `the crash kernel found ${m.pattern.found} of ${m.pattern.expected} pattern records in /proc/vmcore (${m.vmcoreBytes} bytes)`;
  }
  return undefined;
}
