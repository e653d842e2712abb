// runtime.s: the intrinsics compiled TypeScript calls as rt_<name>, with the UEFI
// calling convention (AAPCS64: arguments in x0-x7, x0-x17 may be clobbered).
rt_putc:                                        // x0 = byte
        b       putc                            // putc returns to our caller through x30
