// com1.s: COM1 output for the x86 QEMU shim and its test payload (64-bit code).
// Needs COM1 (the port) defined by the including unit.
// puts: rsi = NUL-terminated string. Clobbers rax, rdx, rsi.
puts:
        lodsb
        testb   %al, %al
        jz      puts_done
        call    putc
        jmp     puts
puts_done:
        ret

// puthex: rax as 0x-hex without leading zeros. Clobbers rax, rcx, rdx, rdi.
puthex:
        movq    %rax, %rdi
        movb    $0x30, %al
        call    putc
        movb    $0x78, %al
        call    putc
        movl    $0x3c, %ecx                     // shift of the top nibble
hex_skip:
        testl   %ecx, %ecx
        jz      hex_digit
        movq    %rdi, %rax
        shrq    %cl, %rax
        testb   $0xf, %al
        jnz     hex_digit
        subl    $0x4, %ecx
        jmp     hex_skip
hex_digit:
        movq    %rdi, %rax
        shrq    %cl, %rax
        andl    $0xf, %eax
        addb    $0x30, %al
        cmpb    $0x39, %al
        jbe     hex_out
        addb    $0x27, %al                      // '9' + 1 -> 'a'
hex_out:
        call    putc
        subl    $0x4, %ecx
        jns     hex_digit
        ret

// putc: al = byte to COM1, once the transmit holding register is empty. Clobbers rdx.
putc:
        pushq   %rax
        movl    $COM1 + 0x5, %edx               // line status register
putc_wait:
        inb     %dx, %al
        testb   $0x20, %al
        jz      putc_wait
        popq    %rax
        movl    $COM1, %edx
        outb    %al, %dx
        ret
