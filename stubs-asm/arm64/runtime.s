// runtime.s: the intrinsics compiled TypeScript calls as rt_<name>, with the UEFI
// calling convention (AAPCS64: arguments in x0-x7, x0-x17 may be clobbered).
rt_putc:                                        // x0 = byte
        b       putc                            // putc returns to our caller through x30

rt_barrier:
        dsb     sy                              // all memory accesses done
        isb                                     // and seen by later instructions
        ret

rt_cacheClean:                                  // x0 = address, x1 = length
        mrs     x2, ctr_el0
        ubfx    x2, x2, #0x10, #4               // DminLine: log2(words) of the smallest line
        mov     x3, #4
        lsl     x3, x3, x2                      // line size in bytes
        add     x1, x0, x1
        sub     x4, x3, #1
        bic     x0, x0, x4                      // from the line holding the first byte
rt_cacheClean_line:
        cmp     x0, x1
        b.hs    rt_cacheClean_done
        dc      civac, x0                       // clean and invalidate to PoC
        add     x0, x0, x3
        b       rt_cacheClean_line
rt_cacheClean_done:
        dsb     sy
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
