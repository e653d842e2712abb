// EFI status codes as the host tests compare them (UEFI 2.10 Appendix D): the values
// the compiled services return, as 64-bit patterns.
export const SUCCESS = 0n;
export const LOAD_ERROR = 0x8000_0000_0000_0001n;
export const INVALID = 0x8000_0000_0000_0002n;
export const UNSUPPORTED = 0x8000_0000_0000_0003n;
export const TOO_SMALL = 0x8000_0000_0000_0005n;
export const NOT_READY = 0x8000_0000_0000_0006n;
export const OUT_OF_RESOURCES = 0x8000_0000_0000_0009n;
export const NOT_FOUND = 0x8000_0000_0000_000en;
export const ALREADY_STARTED = 0x8000_0000_0000_0014n;
export const ABORTED = 0x8000_0000_0000_0015n;
