// hosted.s: the console for Linux user-mode test programs (compile --run): putc writes
// the byte to stdout instead of a UART. Never part of the blob.
putc:                                           // dil = byte
        push    %rdi
        push    %rsi                            // preserved for rt_putc's caller (MS x64)
        push    %rdi                            // the byte, on the stack
        mov     $1, %eax                        // write
        mov     $1, %edi                        // stdout
        mov     %rsp, %rsi
        mov     $1, %edx
        syscall                                 // clobbers rcx and r11, both volatile
        pop     %rdi
        pop     %rsi
        pop     %rdi
        ret
