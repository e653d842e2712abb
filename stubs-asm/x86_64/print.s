// print.s: strings, hex numbers and the banner line, on top of putc.
// puts: rdi = NUL-terminated string.
puts:
        push    %rbx
        mov     %rdi, %rbx
puts_next:
        movzbl  (%rbx), %edi
        test    %edi, %edi
        jz      puts_done
        call    putc
        inc     %rbx
        jmp     puts_next
puts_done:
        pop     %rbx
        ret

// putn: rdi = address, rsi = byte count. Prints the bytes as they are.
putn:
        push    %rbx
        push    %rbp
        mov     %rdi, %rbx
        lea     (%rdi,%rsi), %rbp
putn_next:
        cmp     %rbp, %rbx
        jae     putn_done
        movzbl  (%rbx), %edi
        call    putc
        inc     %rbx
        jmp     putn_next
putn_done:
        pop     %rbp
        pop     %rbx
        ret

// puthex: rdi = value. Prints 0x and the hex digits without leading zeros.
puthex:
        push    %rbx
        push    %rbp
        mov     %rdi, %rbx
        mov     $0x30, %edi                     // '0'
        call    putc
        mov     $0x78, %edi                     // 'x'
        call    putc
        mov     $0x3c, %ebp                       // shift of the top nibble
puthex_skip:
        test    %ebp, %ebp
        jz      puthex_digit                    // the last digit is always printed
        mov     %ebp, %ecx
        mov     %rbx, %rax
        shr     %cl, %rax
        jnz     puthex_digit
        sub     $4, %ebp
        jmp     puthex_skip
puthex_digit:
        mov     %ebp, %ecx
        mov     %rbx, %rax
        shr     %cl, %rax
        and     $0xf, %eax
        lea     0x30(%rax), %edi                // '0' + digit
        cmp     $0xa, %eax
        jb      puthex_put
        lea     0x57(%rax), %edi                // 'a' - 10 + digit
puthex_put:
        call    putc
        test    %ebp, %ebp
        jz      puthex_done
        sub     $4, %ebp
        jmp     puthex_digit
puthex_done:
        pop     %rbp
        pop     %rbx
        ret

// puthex_at: rdi = label, rsi = address of a 64-bit value. Prints label then value.
puthex_at:
        push    %rbx
        mov     %rsi, %rbx
        call    puts
        mov     (%rbx), %rdi
        call    puthex
        pop     %rbx
        ret

// banner: rdi = handoff block. The one line every blob prints first.
banner:
        push    %rbx
        mov     %rdi, %rbx
        lea     msg_banner_arch(%rip), %rdi
        call    puts
        lea     msg_handoff(%rip), %rdi
        call    puts
        mov     %rbx, %rdi
        call    puthex
        lea     msg_image(%rip), %rdi
        lea     HO_IMAGE_ADDR(%rbx), %rsi
        call    puthex_at
        lea     msg_plus(%rip), %rdi
        lea     HO_IMAGE_SIZE(%rbx), %rsi
        call    puthex_at
        lea     msg_initrd(%rip), %rdi
        lea     HO_INITRD_ADDR(%rbx), %rsi
        call    puthex_at
        lea     msg_plus(%rip), %rdi
        lea     HO_INITRD_SIZE(%rbx), %rsi
        call    puthex_at
        lea     msg_cmdline(%rip), %rdi
        call    puts
        mov     HO_CMDLINE_ADDR(%rbx), %rdi
        mov     HO_CMDLINE_SIZE(%rbx), %rsi
        call    putn
        lea     msg_quote_nl(%rip), %rdi
        call    puts
        pop     %rbx
        ret
