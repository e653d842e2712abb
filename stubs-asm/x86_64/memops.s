// memops.s: CopyMem and SetMem for the boot services, with string instructions: the EFI
// stub moves whole kernels with them. Both take n = 0. Microsoft x64: rdi and rsi are
// callee-saved, so both are kept.

// rt_copyMem: rcx = dst, rdx = src, r8 = n. The ranges may overlap: when dst lies in
// (src, src + n) the copy runs backwards, else forwards, 8 bytes a step then the rest.
rt_copyMem:
        push    %rdi
        push    %rsi
        mov     %rcx, %rdi
        mov     %rdx, %rsi
        mov     %rdi, %rax
        sub     %rsi, %rax                      // dst - src, unsigned
        jz      copy_done                       // the same bytes
        cmp     %r8, %rax
        jb      copy_backward                   // dst overlaps src's tail
        mov     %r8, %rcx
        shr     $0x3, %rcx
        rep movsq
        mov     %r8, %rcx
        and     $0x7, %ecx
        rep movsb
        jmp     copy_done
copy_backward:
        std
        lea     (%rdi,%r8), %rdi
        lea     (%rsi,%r8), %rsi
        dec     %rdi                            // the last byte: the odd tail goes first
        dec     %rsi
        mov     %r8, %rcx
        and     $0x7, %ecx
        rep movsb
        sub     $0x7, %rdi                      // the last whole quad
        sub     $0x7, %rsi
        mov     %r8, %rcx
        shr     $0x3, %rcx
        rep movsq
        cld                                     // DF is clear at every call and return
copy_done:
        pop     %rsi
        pop     %rdi
        ret

// rt_setMem: rcx = dst, rdx = n, r8b = value.
rt_setMem:
        push    %rdi
        mov     %rcx, %rdi
        movzbl  %r8b, %eax
        movabsq $0x0101010101010101, %r9
        imul    %r9, %rax                       // the byte in all eight lanes
        mov     %rdx, %rcx
        shr     $0x3, %rcx
        rep stosq
        mov     %rdx, %rcx
        and     $0x7, %ecx
        rep stosb
        pop     %rdi
        ret
