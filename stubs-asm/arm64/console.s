// console.s: transmit-only UART drivers (PL011, 16550 over MMIO). The console in use
// is a 32-byte description: kind, space, base, reg shift, access width, baud.
// console_setup: x0 = valid handoff block or 0. Copies its console, or the built-in
// default when it has none, into `console`.
console_setup:
        cbz     x0, console_use
        add     x0, x0, #HO_CONSOLE
// console_use: x0 = a console description or 0. The same, for any description.
console_use:
        adr     x1, console_default
        cbz     x0, console_copy
        ldr     w2, [x0, #CON_KIND]
        cbz     w2, console_copy                // kind 0: nobody chose one
        mov     x1, x0
console_copy:
        adr     x2, console
        ldp     x3, x4, [x1]
        stp     x3, x4, [x2]
        ldp     x3, x4, [x1, #0x10]
        stp     x3, x4, [x2, #0x10]
        ret

// putc: w0 = byte. Sends "\r\n" for "\n". Preserves x0-x8.
putc:
        cmp     w0, #0x0a
        b.ne    uart_tx
        stp     x0, x30, [sp, #-0x10]!
        mov     w0, #0x0d
        bl      uart_tx
        ldp     x0, x30, [sp], #0x10
        b       uart_tx

// uart_tx: w0 = byte. Leaf; clobbers x9-x15 only.
uart_tx:
        adr     x9, console
        ldr     w10, [x9, #CON_KIND]
        ldr     x11, [x9, #CON_BASE]
        cmp     w10, #CONSOLE_PL011
        b.eq    pl011_tx
        cmp     w10, #CONSOLE_16550
        b.eq    ns16550_tx
        ret                                     // no console (or port I/O): nothing to do

pl011_tx:
        ldr     w12, [x11, #0x18]               // UARTFR
        tbnz    w12, #5, pl011_tx               // TXFF: transmit FIFO full
        str     w0, [x11]                       // UARTDR
        ret

ns16550_tx:
        ldr     w13, [x9, #CON_SHIFT]
        ldr     w14, [x9, #CON_WIDTH]
        mov     x15, #5                         // LSR is register 5
        lsl     x15, x15, x13
        add     x15, x11, x15
ns16550_wait:
        cmp     w14, #4
        b.eq    ns16550_lsr32
        ldrb    w12, [x15]
        b       ns16550_test
ns16550_lsr32:
        ldr     w12, [x15]
ns16550_test:
        tbz     w12, #5, ns16550_wait           // THRE: holding register empty
        cmp     w14, #4
        b.eq    ns16550_thr32
        strb    w0, [x11]                       // THR is register 0
        ret
ns16550_thr32:
        str     w0, [x11]
        ret
