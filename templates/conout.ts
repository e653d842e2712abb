// EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL (UEFI 2.10 §12.4) on the console: one 80x25 text mode
// whose text goes out through putc. Colours and cursor moves are recorded in Mode but
// not sent: the console is a serial log, and escape sequences would only clutter it.
import { u8, u16, u32, u64, type ptr } from './rt/types.ts';
import { load16, load32, store8, store32, store64, putc, fntable, fnfill, guid, struct, zeroed } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_INVALID_PARAMETER, EFI_UNSUPPORTED } from './efi.ts';

export const SIMPLE_TEXT_OUTPUT_GUID = guid('387477c2-69c7-11d2-8e39-00a0c969723b');

/** The interface, members in spec order. */
export const SimpleTextOutput = struct({
  reset: u64, outputString: u64, testString: u64, queryMode: u64, setMode: u64,
  setAttribute: u64, clearScreen: u64, setCursorPosition: u64, enableCursor: u64, mode: u64,
});
/** The nine member functions, in the struct's order (Mode, the tenth, is data). */
const MEMBERS = fntable([
  conoutReset, conoutOutputString, conoutTestString, conoutQueryMode, conoutSetMode,
  conoutSetAttribute, conoutClearScreen, conoutSetCursorPosition, conoutEnableCursor,
]);
/** SIMPLE_TEXT_OUTPUT_MODE: five INT32 and a BOOLEAN. */
export const TextMode = struct({
  maxMode: u32, mode: u32, attribute: u32, cursorColumn: u32, cursorRow: u32, cursorVisible: u8,
});

const COLUMNS: u64 = 80n;
const ROWS: u64 = 25n;
/** EFI_TEXT_ATTR(EFI_LIGHTGRAY, EFI_BLACK), what firmware starts with. */
const DEFAULT_ATTRIBUTE: u64 = 0x07n;
const MAX_ATTRIBUTE: u64 = 0x7fn;
const LF: u16 = 0x0an;
const CR: u16 = 0x0dn;
const BS: u16 = 0x08n;

// zeroed() needs literal sizes: SimpleTextOutput.$size and TextMode.$size (the tests check).
const INTERFACE = zeroed(80n, 8n);
const MODE = zeroed(24n, 8n);

function column(): u64 {
  return u64(load32(MODE + TextMode.cursorColumn));
}

function row(): u64 {
  return u64(load32(MODE + TextMode.cursorRow));
}

function setCursor(col: u64, r: u64): void {
  store32(MODE + TextMode.cursorColumn, u32(col));
  store32(MODE + TextMode.cursorRow, u32(r));
}

/** The cursor moves down a line, scrolling at the bottom as a terminal does. */
function newLine(): void {
  setCursor(0n, row() + 1n < ROWS ? row() + 1n : ROWS - 1n);
}

/** One UCS-2 character to the console, keeping the cursor where a terminal would. */
function outputChar(c: u16): void {
  if (c == CR) {
    setCursor(0n, row()); // putc already turns LF into CR LF
  } else if (c == LF) {
    putc(0x0an);
    newLine();
  } else if (c == BS) {
    putc(u8(c));
    if (column() > 0n) setCursor(column() - 1n, row());
  } else if (c < 0x20n) {
    putc(u8(c)); // other controls pass through and take no room
  } else {
    putc(c < 0x7fn ? u8(c) : 0x3fn); // beyond ASCII: '?'
    if (column() + 1n < COLUMNS) setCursor(column() + 1n, row());
    else newLine();
  }
}

/** Reset(This, ExtendedVerification): default attribute, cursor home. */
export function conoutReset(_this: ptr, _extendedVerification: u64): u64 {
  store32(MODE + TextMode.attribute, u32(DEFAULT_ATTRIBUTE));
  setCursor(0n, 0n);
  return EFI_SUCCESS;
}

/** OutputString(This, String): the NUL-terminated UCS-2 string to the console. */
export function conoutOutputString(_this: ptr, s: ptr): u64 {
  if (s == 0n) return EFI_INVALID_PARAMETER;
  for (let p: ptr = s; load16(p) != 0n; p += 2n) outputChar(load16(p));
  return EFI_SUCCESS;
}

/** TestString(This, String): EFI_UNSUPPORTED when a character would come out as '?'. */
export function conoutTestString(_this: ptr, s: ptr): u64 {
  if (s == 0n) return EFI_INVALID_PARAMETER;
  for (let p: ptr = s; load16(p) != 0n; p += 2n) if (load16(p) >= 0x7fn) return EFI_UNSUPPORTED;
  return EFI_SUCCESS;
}

/** QueryMode(This, ModeNumber, Columns*, Rows*): only mode 0, 80x25. */
export function conoutQueryMode(_this: ptr, modeNumber: u64, columnsPtr: ptr, rowsPtr: ptr): u64 {
  if (modeNumber != 0n) return EFI_UNSUPPORTED;
  if (columnsPtr == 0n || rowsPtr == 0n) return EFI_INVALID_PARAMETER;
  store64(columnsPtr, COLUMNS);
  store64(rowsPtr, ROWS);
  return EFI_SUCCESS;
}

/** SetMode(This, ModeNumber): mode 0 clears the screen. */
export function conoutSetMode(_this: ptr, modeNumber: u64): u64 {
  if (modeNumber != 0n) return EFI_UNSUPPORTED;
  store32(MODE + TextMode.mode, 0n);
  setCursor(0n, 0n);
  return EFI_SUCCESS;
}

/** SetAttribute(This, Attribute): foreground and background bits only (0..0x7f). */
export function conoutSetAttribute(_this: ptr, attribute: u64): u64 {
  if (attribute > MAX_ATTRIBUTE) return EFI_UNSUPPORTED;
  store32(MODE + TextMode.attribute, u32(attribute));
  return EFI_SUCCESS;
}

/** ClearScreen(This): the cursor goes home; the log keeps what was written. */
export function conoutClearScreen(_this: ptr): u64 {
  setCursor(0n, 0n);
  return EFI_SUCCESS;
}

/** SetCursorPosition(This, Column, Row): within 80x25. */
export function conoutSetCursorPosition(_this: ptr, col: u64, r: u64): u64 {
  if (col >= COLUMNS || r >= ROWS) return EFI_UNSUPPORTED;
  setCursor(col, r);
  return EFI_SUCCESS;
}

/** EnableCursor(This, Visible): a BOOLEAN, so only the low byte counts. */
export function conoutEnableCursor(_this: ptr, visible: u64): u64 {
  store8(MODE + TextMode.cursorVisible, (visible & 0xffn) != 0n ? 1n : 0n);
  return EFI_SUCCESS;
}

/** Fills the interface and its Mode (80x25, cursor home and visible); returns the interface. */
export function conoutInit(): ptr {
  fnfill(INTERFACE, MEMBERS, 9n);
  store64(INTERFACE + SimpleTextOutput.mode, MODE);
  store32(MODE + TextMode.maxMode, 1n);
  store32(MODE + TextMode.mode, 0n);
  store32(MODE + TextMode.attribute, u32(DEFAULT_ATTRIBUTE));
  setCursor(0n, 0n);
  store8(MODE + TextMode.cursorVisible, 1n);
  return INTERFACE;
}
