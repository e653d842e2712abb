// runtime.s: the intrinsics compiled TypeScript calls as rt_<name>, with the UEFI
// calling convention (Microsoft x64: arguments in rcx, rdx, r8, r9; rdi is preserved).
rt_putc:                                        // rcx = byte
        push    %rdi
        mov     %ecx, %edi                      // putc takes its byte in dil
        call    putc
        pop     %rdi
        ret
