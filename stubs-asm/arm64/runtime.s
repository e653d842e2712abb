// runtime.s: the intrinsics compiled TypeScript calls as rt_<name>, with the UEFI
// calling convention (AAPCS64: arguments in x0-x7, x0-x17 may be clobbered).
rt_putc:                                        // x0 = byte
        b       putc                            // putc returns to our caller through x30

rt_barrier:
        dsb     sy                              // all memory accesses done
        isb                                     // and seen by later instructions
        ret

// rt_cacheClean: x0 = address, x1 = length. Cleans and invalidates the data cache to PoC,
// then invalidates the instruction cache over the range, since it runs after code is
// loaded. By VA (ic ivau, not ic iallu) so that it also works in Linux user mode.
rt_cacheClean:
        mov     x5, x0
        mrs     x2, ctr_el0
        ubfx    x2, x2, #0x10, #4               // DminLine: log2(words) of the smallest line
        mov     x3, #4
        lsl     x3, x3, x2                      // line size in bytes
        add     x1, x0, x1
        sub     x4, x3, #1
        bic     x0, x0, x4                      // from the line holding the first byte
rt_cacheClean_line:
        cmp     x0, x1
        b.hs    rt_cacheClean_icache
        dc      civac, x0                       // clean and invalidate to PoC
        add     x0, x0, x3
        b       rt_cacheClean_line
rt_cacheClean_icache:
        dsb     sy                              // the data is in memory before the I-side looks
        mrs     x2, ctr_el0
        and     x2, x2, #0xf                    // IminLine
        mov     x3, #4
        lsl     x3, x3, x2
        sub     x4, x3, #1
        bic     x0, x5, x4
rt_cacheClean_iline:
        cmp     x0, x1
        b.hs    rt_cacheClean_done
        ic      ivau, x0                        // invalidate to PoU
        add     x0, x0, x3
        b       rt_cacheClean_iline
rt_cacheClean_done:
        dsb     ish
        isb
        ret

rt_callEntry:                                   // x0 = entry, x1 = stack top, x2, x3 = arguments
        stp     x29, x30, [sp, #-0x10]!
        mov     x29, sp
        mov     x9, x0
        and     x1, x1, #0xfffffffffffffff0     // AAPCS64: sp 16-aligned
        mov     sp, x1
        mov     x0, x2
        mov     x1, x3
        blr     x9
        mov     sp, x29                         // back on our own stack
        ldp     x29, x30, [sp], #0x10
        ret

// rt_enterImage: x0 = entry, x1 = stack top, x2 = handle, x3 = system table, x4 = ctx
// (128 bytes of the caller's). Saves x19-x30 and sp in ctx, then calls entry(handle,
// systab) on the new stack; returns its x0, or the status of an rt_leaveImage(ctx, ...).
// ctx: 0x00 x19 x20, 0x10 x21 x22, ..., 0x50 x29 x30, 0x60 sp.
rt_enterImage:
        stp     x19, x20, [x4]
        stp     x21, x22, [x4, #0x10]
        stp     x23, x24, [x4, #0x20]
        stp     x25, x26, [x4, #0x30]
        stp     x27, x28, [x4, #0x40]
        stp     x29, x30, [x4, #0x50]
        mov     x9, sp
        str     x9, [x4, #0x60]
        mov     x19, x4                         // callee-saved: ctx survives the call
        and     x1, x1, #0xfffffffffffffff0     // AAPCS64: sp 16-aligned
        mov     sp, x1
        mov     x9, x0
        mov     x0, x2
        mov     x1, x3
        mov     x29, xzr                        // the image's frame chain ends here
        blr     x9
        mov     x1, x0                          // a normal return leaves like leaveImage
        mov     x0, x19

// rt_leaveImage: x0 = ctx, x1 = status. Returns status from the rt_enterImage that
// filled ctx, with its callee-saved registers and stack: x30 in ctx is its return address.
rt_leaveImage:
        ldp     x19, x20, [x0]
        ldp     x21, x22, [x0, #0x10]
        ldp     x23, x24, [x0, #0x20]
        ldp     x25, x26, [x0, #0x30]
        ldp     x27, x28, [x0, #0x40]
        ldp     x29, x30, [x0, #0x50]
        ldr     x9, [x0, #0x60]
        mov     sp, x9
        mov     x0, x1
        ret

rt_inb:                                         // arm64 has no I/O ports: reads float high
        mov     x0, #0xff
        ret
rt_inw:
        mov     x0, #0xffff
        ret
rt_inl:
        mov     x0, #0xffffffff
        ret
rt_outb:                                        // and writes go nowhere
rt_outw:
rt_outl:
        ret

rt_readTimer:
        isb                                     // no early read of the counter
        mrs     x0, cntvct_el0
        ret

rt_timerFrequency:
        mrs     x0, cntfrq_el0
        ret

// rt_fnfill: x0 = destination, x1 = fntable, x2 = count. Entry i of the table is the
// offset of function i from the table; the destination gets their 64-bit addresses.
rt_fnfill:
        mov     x3, #0
rt_fnfill_next:
        cmp     x3, x2
        b.hs    rt_fnfill_done
        ldrsw   x4, [x1, x3, lsl #2]
        add     x4, x1, x4
        str     x4, [x0, x3, lsl #3]
        add     x3, x3, #1
        b       rt_fnfill_next
rt_fnfill_done:
        ret
