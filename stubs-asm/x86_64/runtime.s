// runtime.s: the intrinsics compiled TypeScript calls as rt_<name>, with the UEFI
// calling convention (Microsoft x64: arguments in rcx, rdx, r8, r9; rdi is preserved).
rt_putc:                                        // rcx = byte
        push    %rdi
        mov     %ecx, %edi                      // putc takes its byte in dil
        call    putc
        pop     %rdi
        ret

rt_barrier:
        mfence
        ret

rt_cacheClean:                                  // rcx = address, rdx = length
        ret                                     // x86 caches are coherent with DMA and fetch

rt_callEntry:                                   // rcx = entry, rdx = stack top, r8, r9 = arguments
        push    %rbp
        mov     %rsp, %rbp
        mov     %rcx, %rax
        and     $0xfffffffffffffff0, %rdx       // 16-aligned before the call
        mov     %rdx, %rsp
        sub     $0x20, %rsp                     // shadow space
        mov     %r8, %rcx
        mov     %r9, %rdx
        call    *%rax
        mov     %rbp, %rsp                      // back on our own stack
        pop     %rbp
        ret

rt_inb:                                         // rcx = port
        mov     %ecx, %edx
        inb     %dx, %al
        movzbl  %al, %eax
        ret
rt_inw:
        mov     %ecx, %edx
        inw     %dx, %ax
        movzwl  %ax, %eax
        ret
rt_inl:
        mov     %ecx, %edx
        inl     %dx, %eax
        ret
rt_outb:                                        // rcx = port, rdx = value
        mov     %edx, %eax
        mov     %ecx, %edx
        outb    %al, %dx
        ret
rt_outw:
        mov     %edx, %eax
        mov     %ecx, %edx
        outw    %ax, %dx
        ret
rt_outl:
        mov     %edx, %eax
        mov     %ecx, %edx
        outl    %eax, %dx
        ret

rt_readTimer:
        rdtsc
        shl     $0x20, %rdx
        or      %rdx, %rax
        ret

rt_timerFrequency:                              // the TSC rate is not architectural: unknown
        xor     %eax, %eax
        ret
