// The console from an ACPI SPCR table (Serial Port Console Redirection), as a running
// system exposes it in /sys/firmware/acpi/tables/SPCR. Follows what Linux's
// drivers/acpi/spcr.c and earlycon make of the same table, so the blob talks to the
// UART the first kernel used.
import { ByteReader } from '../formats/bytes.ts';
import type { ConsoleChoice, ConsoleDesc } from './console.ts';

/** Offsets inside the table (ACPI 36-byte header, then the SPCR body). */
const OFF = {
  signature: 0, length: 4, revision: 8, checksum: 9, interfaceType: 36,
  spaceId: 40, bitWidth: 41, bitOffset: 42, accessWidth: 43, address: 44,
  baudRate: 58, preciseBaud: 84,
} as const;

/** A revision-2 table is 80 bytes; everything we read lies inside them. */
const MIN_LENGTH = 80;
/** Revision 4 adds a precise baud rate (u32 at 84) that overrides the baud code. */
const PRECISE_BAUD_END = 88;

/** DBG2 port subtypes (ACPI DBG2 spec, Linux include/acpi/actbl1.h) we can drive. */
const INTERFACE_TYPES: Record<number, { kind: ConsoleDesc['kind']; name: string }> = {
  0x00: { kind: '16550', name: '16550 compatible' },
  0x01: { kind: '16550', name: '16550 subset' },
  0x03: { kind: 'pl011', name: 'ARM PL011' },
  0x0d: { kind: 'pl011', name: 'ARM SBSA 32-bit' },
  0x0e: { kind: 'pl011', name: 'ARM SBSA generic' },
  0x10: { kind: 'pl011', name: 'BCM2835' },
  0x12: { kind: '16550', name: '16550 with GAS' },
};

/** SPCR baud rate codes; 0 means "as the firmware left it". */
/** The fastest line speed --console accepts too. */
const MAX_BAUD = 4_000_000;

const BAUD_CODES: Record<number, number> = { 3: 9600, 4: 19200, 6: 57600, 7: 115200 };

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

/** Signature, length, checksum and revision: the parts every ACPI table shares. */
function checkHeader(r: ByteReader): number {
  const signature = String.fromCharCode(...r.bytes(OFF.signature, 4, 'SPCR signature'));
  if (signature !== 'SPCR') {
    r.fail(OFF.signature, 'SPCR signature', `${JSON.stringify(signature)} is not "SPCR": not an SPCR table`);
  }
  const length = r.u32(OFF.length, 'SPCR length');
  if (length < MIN_LENGTH) r.fail(OFF.length, 'SPCR length', `${hex(length)} is shorter than the ${MIN_LENGTH}-byte revision 2 layout`);
  if (length !== r.size) {
    r.fail(OFF.length, 'SPCR length', `header says ${hex(length)} bytes, the file has ${hex(r.size)} (truncated or padded?)`);
  }
  let sum = 0;
  for (const b of r.data) sum = (sum + b) & 0xff;
  if (sum !== 0) {
    r.fail(OFF.checksum, 'SPCR checksum', `bytes sum to ${hex(sum)} modulo 256, not 0 (corrupt table; checksum byte is ${hex(r.u8(OFF.checksum, 'SPCR checksum'))})`);
  }
  const revision = r.u8(OFF.revision, 'SPCR revision');
  if (revision < 2) r.fail(OFF.revision, 'SPCR revision', `${revision} is older than 2, the first revision Linux accepts`);
  return revision;
}

function interfaceKind(r: ByteReader): ConsoleDesc['kind'] {
  const type = r.u8(OFF.interfaceType, 'SPCR interface type');
  const known = INTERFACE_TYPES[type];
  if (known === undefined) {
    const supported = Object.entries(INTERFACE_TYPES).map(([t, d]) => `${hex(Number(t))} ${d.name}`).join(', ');
    r.fail(OFF.interfaceType, 'SPCR interface type', `${hex(type)} is not a UART we drive (supported: ${supported})`);
  }
  return known.kind;
}

/** Bytes per access from the GAS access size (1 byte, 2 word, 3 dword; 0 = type default). */
function accessBytes(r: ByteReader, kind: ConsoleDesc['kind']): number {
  const code = r.u8(OFF.accessWidth, 'SPCR serial port access width');
  if (code === 0) return kind === 'pl011' ? 4 : 1;
  if (code > 3) {
    r.fail(OFF.accessWidth, 'SPCR serial port access width', `${code} (${4 << code}-bit) is not 1 (byte), 2 (word) or 3 (dword)`);
  }
  return 1 << (code - 1);
}

function baudRate(r: ByteReader, revision: number): number | undefined {
  if (revision >= 4 && r.size >= PRECISE_BAUD_END) {
    const precise = r.u32(OFF.preciseBaud, 'SPCR precise baud rate');
    if (precise > MAX_BAUD) r.fail(OFF.preciseBaud, 'SPCR precise baud rate', `${precise} is above ${MAX_BAUD}`);
    if (precise !== 0) return precise;
  }
  const code = r.u8(OFF.baudRate, 'SPCR baud rate');
  if (code === 0) return undefined;
  const baud = BAUD_CODES[code];
  if (baud === undefined) r.fail(OFF.baudRate, 'SPCR baud rate', `code ${code} is not 0 (as is), 3 (9600), 4 (19200), 6 (57600) or 7 (115200)`);
  return baud;
}

/** Where the registers are: the Generic Address Structure at offset 40. */
function registerLayout(r: ByteReader, kind: ConsoleDesc['kind']): Pick<ConsoleDesc, 'space' | 'base' | 'regShift' | 'regWidth'> {
  const spaceId = r.u8(OFF.spaceId, 'SPCR serial port address space');
  if (spaceId > 1) r.fail(OFF.spaceId, 'SPCR serial port address space', `${spaceId} is neither 0 (system memory) nor 1 (system I/O)`);
  const space = spaceId === 0 ? 'mmio' : 'io';
  if (space === 'io' && kind === 'pl011') r.fail(OFF.spaceId, 'SPCR serial port address space', 'a PL011 cannot live in I/O port space');
  const bitOffset = r.u8(OFF.bitOffset, 'SPCR serial port register bit offset');
  if (bitOffset !== 0) r.fail(OFF.bitOffset, 'SPCR serial port register bit offset', `${bitOffset}: registers must start at bit 0`);
  const bitWidth = r.u8(OFF.bitWidth, 'SPCR serial port register bit width');
  if (bitWidth !== 0 && bitWidth < 8) r.fail(OFF.bitWidth, 'SPCR serial port register bit width', `${bitWidth} is narrower than a byte`);
  const width = accessBytes(r, kind);
  const base = r.u64(OFF.address, 'SPCR serial port address');
  if (space === 'io' && base > 0xffffn) r.fail(OFF.address, 'SPCR serial port address', `port ${hex(base)} is beyond 0xffff`);
  // PL011 registers are 32-bit words 4 bytes apart whatever the GAS says (SBSA 32-bit
  // even requires word access), and the blob's PL011 driver always accesses words.
  if (kind === 'pl011') return checkAligned(r, { space, base, regShift: 0, regWidth: 4 });
  // Port I/O 16550 registers are consecutive bytes. Over MMIO, the access size is also
  // the register stride, as Linux's earlycon assumes (mmio16 → shift 1, mmio32 → 2).
  if (space === 'io') return { space, base, regShift: 0, regWidth: 1 };
  return checkAligned(r, { space, base, regShift: Math.log2(width), regWidth: width });
}

function checkAligned<T extends { base: bigint; regWidth: number }>(r: ByteReader, c: T): T {
  if (c.base % BigInt(c.regWidth) !== 0n) {
    r.fail(OFF.address, 'SPCR serial port address', `${hex(c.base)} is not aligned to the ${c.regWidth}-byte access width`);
  }
  return c;
}

/**
 * The console an SPCR table describes. `file` names the table in errors, which are
 * FormatErrors naming the offset and the field. An address of 0 means the firmware
 * disabled console redirection: the result is then `{ kind: 'none' }`.
 */
export function consoleFromSpcr(data: Uint8Array, file: string): ConsoleChoice {
  const r = new ByteReader(data, file);
  const revision = checkHeader(r);
  const kind = interfaceKind(r);
  if (r.u64(OFF.address, 'SPCR serial port address') === 0n) return { kind: 'none' };
  const desc: ConsoleDesc = { kind, ...registerLayout(r, kind) };
  const baud = baudRate(r, revision);
  if (baud !== undefined) desc.baud = baud;
  return desc;
}
