// entry.s: where kexec jumps. Long mode with the kernel's identity map, no usable GDT
// or IDT. Two ways in: _start, where every general register is zero and everything is
// found through handoff_slot, which our loader filled; and wayin_start, the 64-bit
// entry of a wrapped image (docs/wrap.md), where rsi = the boot_params the loader built
// and a reader in templates/ turns them into the same handoff block.
wayin_start:
        cli                                     // interrupts stay off until Linux runs
        mov     %rsi, %r12                      // r12 = boot_params, until the reader runs
        mov     $1, %r13d                       // r13 = 1: entered by the way in
        jmp     common_start
_start:
        cli
        xor     %r13d, %r13d
common_start:
        cld
        lea     gdt(%rip), %rax
        mov     %rax, gdt_base(%rip)            // GDTR wants the table's absolute address
        lgdt    gdtr(%rip)
        mov     $0x18, %eax                     // flat data segment
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        lea     reload_cs(%rip), %rax
        pushq   $0x10                           // 64-bit code segment
        pushq   %rax
        lretq                                   // far return reloads CS from our GDT
reload_cs:
        lea     __mem_end(%rip), %rsp
        add     $STACK_SIZE, %rsp               // stack: STACK_SIZE bytes past the zeroed data
        sub     $0x20, %rsp                     // shadow space for every call into TypeScript
        lea     __file_end(%rip), %rdi          // zero-filled data: kexec cleared it, but a
        lea     __mem_end(%rip), %rcx           // blob entered twice must not see stale values
        sub     %rdi, %rcx
        xor     %eax, %eax
        rep stosb
        call    cpu_setup                       // SSE and x87 state, as UEFI code expects
        lea     __blob_start(%rip), %r14        // r14 = the start of our own memory
        test    %r13d, %r13d
        jnz     wayin
        mov     handoff_slot(%rip), %rbx        // rbx = handoff block, for the whole run
handoff_ready:
        mov     %rbx, %rdi
        call    handoff_valid
        test    %eax, %eax
        jz      no_handoff
        mov     %rbx, %rdi
        call    console_setup                   // the handoff's console, else the built-in one
        call    vectors_install                 // from here on a fault prints a register dump
        mov     %rbx, %rcx                      // banner(handoff, arch, el) in templates/banner.ts
        lea     msg_arch(%rip), %rdx
        mov     $0x2d, %r8d                     // '-': x86 has no exception levels
        call    banner__banner
        mov     %rbx, %rcx                      // efiMain(handoff, our memory's start and end, console)
        mov     %r14, %rdx
        lea     __mem_end(%rip), %r8
        add     $STACK_SIZE, %r8
        lea     console(%rip), %r9
        call    firmware__efiMain               // templates/firmware.ts: never returns
        jmp     power_off

// The wrapped image starts WRAP_BLOB_OFFSET before us; its record may name a console.
// Faults in the reader print a register dump, its errors a line, like the boot's own.
wayin:
        sub     $WRAP_BLOB_OFFSET, %r14         // our memory starts with the wrapped image
        lea     WRAP_RECORD_OFFSET + WR_CONSOLE(%r14), %rdi
        call    console_use
        call    vectors_install
        mov     %r12, %rcx                      // wayinBootParams(boot_params, wrapped image)
        mov     %r14, %rdx                      // in templates/wayin/bootparams.ts
        call    bootparams__wayinBootParams     // returns the handoff block it filled
        mov     %rax, %rbx
        jmp     handoff_ready

no_handoff:
        xor     %edi, %edi
        call    console_setup                   // only the built-in console is known
        lea     msg_no_handoff(%rip), %rdi
        mov     %rbx, %rsi
        jmp     fail

// handoff_valid: rdi = block address. eax = 1 if it is an aligned version-1 block.
handoff_valid:
        xor     %eax, %eax
        test    %rdi, %rdi
        jz      handoff_bad
        test    $7, %dil
        jnz     handoff_bad
        mov     handoff_magic(%rip), %rcx
        cmp     %rcx, HO_MAGIC(%rdi)
        jne     handoff_bad
        cmpl    $HANDOFF_VERSION, HO_VERSION(%rdi)
        jne     handoff_bad
        mov     $1, %eax
handoff_bad:
        ret

// fail: rdi = message, rsi = the value it is about. Prints one line and stops.
fail:
        mov     %rsi, %rbx
        mov     %rdi, %rbp
        lea     msg_error(%rip), %rcx
        call    console__puts
        mov     %rbp, %rcx
        call    console__puts
        mov     %rbx, %rcx
        call    console__puthex
        mov     $0x0a, %edi
        call    putc
        jmp     power_off
