// Secure Boot's last link (docs/secure-boot.md): before the payload is loaded, its
// Authenticode signature must chain to a certificate of the trust list the wrapper
// carries. A payload that fails gets one line naming the check that failed, and the
// machine stops as on any other failure; nothing of it has run.
import { u64, type ptr } from './rt/types.ts';
import { ascii } from './rt/intrinsics.ts';
import { failBecause, note } from './fail.ts';
import { authenticodeVerify, authenticodeFailure } from './secureboot/authenticode.ts';

const REFUSED = ascii('secure boot: ');
const REFUSED_TAIL = ascii(': refusing to start the payload');
const VERIFIED = ascii('secure boot: the payload\'s Authenticode signature verifies against the --trust certificates');

/** Verifies the `size`-byte PE at `image` against the trust list at `trust`; stops the machine if it fails. */
export function verifyPayload(image: ptr, size: u64, trust: ptr): void {
  const code: u64 = authenticodeVerify(image, size, trust);
  if (code == 0n) {
    note(VERIFIED);
    return;
  }
  failBecause(REFUSED, authenticodeFailure(code), REFUSED_TAIL);
}
