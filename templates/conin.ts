// EFI_SIMPLE_TEXT_INPUT_PROTOCOL (UEFI 2.10 §12.3): a keyboard that never has a key.
// The payloads only poll it (systemd-stub, the Linux stub's efifb mode list), and a
// console we can only write to has nothing to give them.
import { u64, type ptr } from './rt/types.ts';
import { store64, fnaddr, guid, struct, zeroed } from './rt/intrinsics.ts';
import { EFI_SUCCESS, EFI_NOT_READY } from './efi.ts';

export const SIMPLE_TEXT_INPUT_GUID = guid('387477c1-69c7-11d2-8e39-00a0c969723b');


/** The interface, members in spec order. */
export const SimpleTextInput = struct({ reset: u64, readKeyStroke: u64, waitForKey: u64 });

// zeroed() needs a literal size: SimpleTextInput.$size (the tests check).
const INTERFACE = zeroed(24n, 8n);
/** WaitForKey's event: any non-NULL value does, and a byte of our own is unique. */
const KEY_EVENT = zeroed(8n, 8n);

/** Reset(This, ExtendedVerification). */
export function coninReset(_this: ptr, _extendedVerification: u64): u64 {
  return EFI_SUCCESS;
}

/** ReadKeyStroke(This, Key*): there is never a key. */
export function coninReadKeyStroke(_this: ptr, _key: ptr): u64 {
  return EFI_NOT_READY;
}

/** The WaitForKey event, so the event services can recognise it. */
export function coninKeyEvent(): ptr {
  return KEY_EVENT;
}

/** Fills the interface; returns its address. */
export function coninInit(): ptr {
  store64(INTERFACE + SimpleTextInput.reset, fnaddr(coninReset));
  store64(INTERFACE + SimpleTextInput.readKeyStroke, fnaddr(coninReadKeyStroke));
  store64(INTERFACE + SimpleTextInput.waitForKey, KEY_EVENT);
  return INTERFACE;
}
