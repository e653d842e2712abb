// console.s: transmit-only UART drivers (16550 over port I/O or MMIO, PL011). The
// console in use is a 32-byte description: kind, space, base, reg shift, width, baud.
// console_setup: rdi = valid handoff block or 0. Copies its console, or the built-in
// default when it has none, into `console`.
console_setup:
        test    %rdi, %rdi
        jz      console_use
        add     $HO_CONSOLE, %rdi
// console_use: rdi = a console description or 0. The same, for any description.
console_use:
        lea     console_default(%rip), %rsi
        test    %rdi, %rdi
        jz      console_copy
        cmpl    $0, CON_KIND(%rdi)
        je      console_copy                    // kind 0: nobody chose one
        mov     %rdi, %rsi
console_copy:
        lea     console(%rip), %rdi
        mov     $0x20, %ecx
        rep movsb
        ret

// putc: dil = byte. Sends "\r\n" for "\n". Preserves rdi, rsi, rbx, rbp, r12-r15.
putc:
        cmp     $0x0a, %dil
        jne     uart_tx
        push    %rdi
        mov     $0x0d, %edi
        call    uart_tx
        pop     %rdi
        jmp     uart_tx

// uart_tx: dil = byte. Clobbers rax, rcx, rdx, r8-r11.
uart_tx:
        lea     console(%rip), %r8
        mov     CON_BASE(%r8), %rdx
        cmpl    $CONSOLE_PL011, CON_KIND(%r8)
        je      pl011_tx
        cmpl    $CONSOLE_16550, CON_KIND(%r8)
        jne     uart_done                       // no console: nothing to do
        cmpl    $SPACE_IO, CON_SPACE(%r8)
        je      ns16550_io_tx
        mov     CON_SHIFT(%r8), %ecx
        mov     $5, %r9d                        // LSR is register 5
        shl     %cl, %r9
        add     %rdx, %r9
ns16550_mmio_wait:
        movzbl  (%r9), %eax                     // byte access reads the low lane either way
        test    $0x20, %al                      // THRE: holding register empty
        jz      ns16550_mmio_wait
        cmpl    $4, CON_WIDTH(%r8)
        je      ns16550_mmio_32
        mov     %dil, (%rdx)                    // THR is register 0
        ret
ns16550_mmio_32:
        mov     %edi, (%rdx)
        ret
ns16550_io_tx:
        add     $5, %dx                         // LSR port
ns16550_io_wait:
        inb     %dx, %al
        test    $0x20, %al
        jz      ns16550_io_wait
        sub     $5, %dx                         // THR port
        mov     %edi, %eax
        outb    %al, %dx
uart_done:
        ret
pl011_tx:
        movl    0x18(%rdx), %eax                // UARTFR
        test    $0x20, %al                      // TXFF: transmit FIFO full
        jnz     pl011_tx
        mov     %edi, (%rdx)                    // UARTDR
        ret
