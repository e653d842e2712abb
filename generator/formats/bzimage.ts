// x86 bzImage setup header (Documentation/arch/x86/boot.rst, offsets as in
// kexec-handoff.md §2.4). An EFI-stub bzImage is also a PE file: "MZ" at 0 and the
// PE header in the first sector, before the setup header at 0x1f1.
import { ByteReader, asciiBytes, hex, isPowerOfTwo } from './bytes.ts';

const HDRS = asciiBytes('HdrS');
/** 2.11 added handover_offset; every EFI-stub kernel is at least that new. */
const MIN_VERSION = 0x020b;

export interface SetupHeader {
  /** As stored; 0 means 4. */
  setupSects: number;
  /** Bytes of real-mode setup before the protected-mode kernel: (setup_sects + 1) * 512. */
  setupSize: number;
  /** Protected-mode code size in bytes (syssize * 16). */
  sysSize: number;
  bootFlag: number;
  /** First byte past the setup header: 0x202 + the jump displacement @0x201. */
  headerEnd: number;
  version: number;
  loadflags: number;
  initrdAddrMax: number;
  kernelAlignment: number;
  relocatable: boolean;
  minAlignment: number;
  xloadflags: number;
  cmdlineSize: number;
  payloadOffset: number;
  payloadLength: number;
  prefAddress: bigint;
  initSize: number;
  handoverOffset: number;
  /** Present from boot protocol 2.15. */
  kernelInfoOffset?: number;
}

export const LOADFLAGS: Record<number, string> = { 0x01: 'LOADED_HIGH', 0x02: 'KASLR_FLAG', 0x20: 'QUIET_FLAG', 0x40: 'KEEP_SEGMENTS', 0x80: 'CAN_USE_HEAP' };
export const XLOADFLAGS: Record<number, string> = {
  0x01: 'KERNEL_64', 0x02: 'CAN_BE_LOADED_ABOVE_4G', 0x04: 'EFI_HANDOVER_32', 0x08: 'EFI_HANDOVER_64',
  0x10: 'EFI_KEXEC', 0x20: '5LEVEL', 0x40: '5LEVEL_ENABLED',
};

export function isBzImage(data: Uint8Array): boolean {
  return data.length >= 0x206 && HDRS.every((b, i) => data[0x202 + i] === b);
}

export function parseSetupHeader(data: Uint8Array, file: string): SetupHeader {
  const r: ByteReader = new ByteReader(data, file);
  const bootFlag = r.u16(0x1fe, 'boot_flag');
  if (bootFlag !== 0xaa55) r.fail(0x1fe, 'boot_flag', `0x${hex(bootFlag)} is not 0xaa55`);
  if (!r.matches(0x202, HDRS)) r.fail(0x202, 'header', 'not "HdrS"');
  const version = r.u16(0x206, 'version');
  if (version < MIN_VERSION) {
    r.fail(0x206, 'version', `boot protocol ${protocol(version)} is older than 2.11 (no EFI stub)`);
  }
  const headerEnd = 0x202 + r.u8(0x201, 'jump');
  if (headerEnd < 0x268) r.fail(0x201, 'jump', `setup header ends at 0x${hex(headerEnd)}, before handover_offset`);
  const stored = r.u8(0x1f1, 'setup_sects');
  const header: SetupHeader = {
    setupSects: stored, setupSize: ((stored === 0 ? 4 : stored) + 1) * 512,
    sysSize: r.u32(0x1f4, 'syssize') * 16, bootFlag, headerEnd, version,
    loadflags: r.u8(0x211, 'loadflags'),
    initrdAddrMax: r.u32(0x22c, 'initrd_addr_max'),
    kernelAlignment: r.u32(0x230, 'kernel_alignment'),
    relocatable: r.u8(0x234, 'relocatable_kernel') !== 0,
    minAlignment: r.u8(0x235, 'min_alignment'),
    xloadflags: r.u16(0x236, 'xloadflags'),
    cmdlineSize: r.u32(0x238, 'cmdline_size'),
    payloadOffset: r.u32(0x248, 'payload_offset'),
    payloadLength: r.u32(0x24c, 'payload_length'),
    prefAddress: r.u64(0x258, 'pref_address'),
    initSize: r.u32(0x260, 'init_size'),
    handoverOffset: r.u32(0x264, 'handover_offset'),
  };
  if (version >= 0x020f && headerEnd >= 0x26c) header.kernelInfoOffset = r.u32(0x268, 'kernel_info_offset');
  checkSetupHeader(r, header);
  return header;
}

function checkSetupHeader(r: ByteReader, h: SetupHeader): void {
  if (!r.has(0, h.setupSize + h.sysSize)) {
    r.fail(0x1f4, 'syssize',
      `setup 0x${hex(h.setupSize)} + kernel 0x${hex(h.sysSize)} bytes run past the end of the file (0x${hex(r.size)} bytes)`);
  }
  if (!isPowerOfTwo(h.kernelAlignment)) {
    r.fail(0x230, 'kernel_alignment', `0x${hex(h.kernelAlignment)} is not a power of two`);
  }
  if (h.minAlignment > 31) r.fail(0x235, 'min_alignment', `2^${h.minAlignment} is absurd`);
  if (h.initSize === 0) r.fail(0x260, 'init_size', 'is 0');
}

/** "2.15" for 0x020f. */
export function protocol(version: number): string {
  return `${version >> 8}.${version & 0xff}`;
}

/** Names of the bits set in `value`, e.g. "LOADED_HIGH|CAN_USE_HEAP". */
export function flagNames(value: number, names: Record<number, string>): string {
  const set: string[] = [];
  for (let bit = 1; bit <= value && bit <= 0x8000; bit <<= 1) {
    if ((value & bit) !== 0) set.push(names[bit] ?? `0x${hex(bit)}`);
  }
  return set.join('|') || '-';
}
