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

// rt_enterImage: rcx = entry, rdx = stack top, r8 = handle, r9 = system table,
// [rsp+0x28] = ctx (0x80 bytes, the caller's). Saves in ctx what rt_leaveImage needs:
// rbx, rbp, rdi, rsi, r12-r15 at 0x0-0x38, the return address at 0x40, rsp at 0x48.
// xmm6-15 are callee-saved too, but compiled code never uses them, so they are not kept.
rt_enterImage:
        mov     0x28(%rsp), %rax
        mov     %rbx, (%rax)
        mov     %rbp, 0x8(%rax)
        mov     %rdi, 0x10(%rax)
        mov     %rsi, 0x18(%rax)
        mov     %r12, 0x20(%rax)
        mov     %r13, 0x28(%rax)
        mov     %r14, 0x30(%rax)
        mov     %r15, 0x38(%rax)
        mov     (%rsp), %r10
        mov     %r10, 0x40(%rax)
        mov     %rsp, 0x48(%rax)
        mov     %rax, %rbx                      // ctx, kept across the call (callee-saved)
        and     $0xfffffffffffffff0, %rdx
        mov     %rdx, %rsp                      // the image's stack, 16-aligned
        sub     $0x20, %rsp                     // shadow space
        mov     %rcx, %rax
        mov     %r8, %rcx
        mov     %r9, %rdx
        call    *%rax
        mov     %rbx, %rcx                      // a normal return leaves like leaveImage
        mov     %rax, %rdx
                                                // falls through

// rt_leaveImage: rcx = ctx, rdx = status. Unwinds to the rt_enterImage that saved ctx,
// which returns status to its caller with the registers and stack it had.
rt_leaveImage:
        mov     %rdx, %rax
        mov     (%rcx), %rbx
        mov     0x8(%rcx), %rbp
        mov     0x10(%rcx), %rdi
        mov     0x18(%rcx), %rsi
        mov     0x20(%rcx), %r12
        mov     0x28(%rcx), %r13
        mov     0x30(%rcx), %r14
        mov     0x38(%rcx), %r15
        mov     0x48(%rcx), %rsp
        add     $0x8, %rsp                      // as after rt_enterImage's ret
        cld                                     // the image may have left DF set
        jmp     *0x40(%rcx)

// rt_fnfill: rcx = destination, rdx = fntable, r8 = count. Entry i of the table is the
// offset of function i from the table; the destination gets their 64-bit addresses.
rt_fnfill:
        xor     %eax, %eax
rt_fnfill_next:
        cmp     %r8, %rax
        jae     rt_fnfill_done
        movslq  (%rdx,%rax,4), %r9
        add     %rdx, %r9
        mov     %r9, (%rcx,%rax,8)
        inc     %rax
        jmp     rt_fnfill_next
rt_fnfill_done:
        ret
