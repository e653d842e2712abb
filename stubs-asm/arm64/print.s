// print.s: strings, hex numbers and the banner line, on top of putc.
// puts: x0 = NUL-terminated string.
puts:
        stp     x29, x30, [sp, #-0x20]!
        str     x19, [sp, #0x10]
        mov     x19, x0
puts_next:
        ldrb    w0, [x19], #1
        cbz     w0, puts_done
        bl      putc
        b       puts_next
puts_done:
        ldr     x19, [sp, #0x10]
        ldp     x29, x30, [sp], #0x20
        ret

// putn: x0 = address, x1 = byte count. Prints the bytes as they are.
putn:
        stp     x29, x30, [sp, #-0x20]!
        stp     x19, x20, [sp, #0x10]
        mov     x19, x0
        add     x20, x0, x1
putn_next:
        cmp     x19, x20
        b.hs    putn_done
        ldrb    w0, [x19], #1
        bl      putc
        b       putn_next
putn_done:
        ldp     x19, x20, [sp, #0x10]
        ldp     x29, x30, [sp], #0x20
        ret

// puthex: x0 = value. Prints 0x and the hex digits without leading zeros.
puthex:
        stp     x29, x30, [sp, #-0x20]!
        stp     x19, x20, [sp, #0x10]
        mov     x19, x0
        mov     w0, #0x30                       // '0'
        bl      putc
        mov     w0, #0x78                       // 'x'
        bl      putc
        mov     x20, #0x3c                        // shift of the top nibble
puthex_skip:
        cbz     x20, puthex_digit               // the last digit is always printed
        lsr     x0, x19, x20
        cbnz    x0, puthex_digit
        sub     x20, x20, #4
        b       puthex_skip
puthex_digit:
        lsr     x0, x19, x20
        and     x0, x0, #0xf
        add     x1, x0, #0x30                   // '0' + digit
        add     x2, x0, #0x57                   // 'a' - 10 + digit
        cmp     x0, #0xa
        csel    x0, x1, x2, lo
        bl      putc
        cbz     x20, puthex_done
        sub     x20, x20, #4
        b       puthex_digit
puthex_done:
        ldp     x19, x20, [sp, #0x10]
        ldp     x29, x30, [sp], #0x20
        ret

// puthex_at: x0 = label, x1 = address of a 64-bit value. Prints label then the value.
puthex_at:
        stp     x29, x30, [sp, #-0x20]!
        str     x19, [sp, #0x10]
        mov     x19, x1
        bl      puts
        ldr     x0, [x19]
        bl      puthex
        ldr     x19, [sp, #0x10]
        ldp     x29, x30, [sp], #0x20
        ret

// banner: x0 = handoff block. The one line every blob prints first.
banner:
        stp     x29, x30, [sp, #-0x20]!
        str     x19, [sp, #0x10]
        mov     x19, x0
        adr     x0, msg_banner_arch
        bl      puts
        mrs     x0, CurrentEL
        ubfx    x0, x0, #2, #2                  // CurrentEL.EL
        add     w0, w0, #0x30
        bl      putc
        adr     x0, msg_handoff
        bl      puts
        mov     x0, x19
        bl      puthex
        adr     x0, msg_image
        add     x1, x19, #HO_IMAGE_ADDR
        bl      puthex_at
        adr     x0, msg_plus
        add     x1, x19, #HO_IMAGE_SIZE
        bl      puthex_at
        adr     x0, msg_initrd
        add     x1, x19, #HO_INITRD_ADDR
        bl      puthex_at
        adr     x0, msg_plus
        add     x1, x19, #HO_INITRD_SIZE
        bl      puthex_at
        adr     x0, msg_cmdline
        bl      puts
        ldr     x0, [x19, #HO_CMDLINE_ADDR]
        ldr     x1, [x19, #HO_CMDLINE_SIZE]
        bl      putn
        adr     x0, msg_quote_nl
        bl      puts
        ldr     x19, [sp, #0x10]
        ldp     x29, x30, [sp], #0x20
        ret
