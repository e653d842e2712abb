// mmu.s: CPU state for UEFI code, the architecture facts templates/arch.ts names, and
// loading the page tables templates/paging.ts builds.

// cpu_setup: kexec leaves CR4 = PAE [| LA57], so SSE would raise #UD; UEFI (2.3.4)
// requires x87 and SSE usable with FCW 0x037f and MXCSR 0x1f80 before calling its code.
// Clobbers rax.
cpu_setup:
        mov     %cr0, %rax
        and     $0xfffffffffffffff3, %rax       // EM = 0 (bit 2), TS = 0 (bit 3)
        or      $0x22, %rax                     // MP (bit 1); NE (bit 5): native #MF, as Linux
        mov     %rax, %cr0
        mov     %cr4, %rax
        or      $0x600, %rax                    // OSFXSR (bit 9), OSXMMEXCPT (bit 10)
        mov     %rax, %cr4
        fninit                                  // FCW = 0x037f
        ldmxcsr mxcsr_init(%rip)
        ret

// rt_archParam: rcx = index (templates/arch.ts). rax = the value, 0 for unknown ones.
// Page bits: P 0x1, RW 0x2, PWT 0x8, PCD 0x10, PS 0x80 (PAT on a 4 KiB page: kept 0).
// No NX: EFER.NXE may be off, and then bit 63 is reserved.
rt_archParam:
        cmp     $0x9, %rcx
        ja      arch_zero
        test    %rcx, %rcx
        jz      arch_machine
        cmp     $0x1, %rcx
        je      arch_levels
        cmp     $0x7, %rcx
        je      arch_block_shift
        cmp     $0x8, %rcx
        je      arch_pa_bits
        cmp     $0x9, %rcx
        je      arch_zero                       // exception level: none on x86
        mov     $0x3, %eax                      // 2: table (P|RW), 5: 4 KiB RAM page
        cmp     $0x3, %rcx
        jne     arch_not_block
        mov     $0x83, %eax                     // 3: 2 MiB / 1 GiB RAM block, P|RW|PS
arch_not_block:
        cmp     $0x4, %rcx
        jne     arch_not_block_mmio
        mov     $0x9b, %eax                     // 4: MMIO block, P|RW|PWT|PCD|PS
arch_not_block_mmio:
        cmp     $0x6, %rcx
        jne     arch_done
        mov     $0x1b, %eax                     // 6: 4 KiB MMIO page, P|RW|PWT|PCD
arch_done:
        ret
arch_zero:
        xor     %eax, %eax
        ret
arch_machine:
        mov     $0x8664, %eax
        ret
arch_levels:
        mov     %cr4, %rcx
        mov     $0x4, %eax
        bt      $0xc, %rcx                      // LA57: five levels
        jnc     arch_done
        mov     $0x5, %eax
        ret
arch_block_shift:                               // 30 with 1 GiB pages, else 21
        push    %rbx                            // cpuid writes rbx, callee-saved in MS x64
        mov     $0x80000000, %eax
        cpuid
        mov     $0x15, %r8d
        cmp     $0x80000001, %eax
        jb      arch_cpuid_done
        mov     $0x80000001, %eax
        cpuid
        bt      $0x1a, %edx                     // Page1GB
        jnc     arch_cpuid_done
        mov     $0x1e, %r8d
        jmp     arch_cpuid_done
arch_pa_bits:                                   // CPUID 0x80000008 EAX[7:0], else 36
        push    %rbx
        mov     $0x80000000, %eax
        cpuid
        mov     $0x24, %r8d
        cmp     $0x80000008, %eax
        jb      arch_cpuid_done
        mov     $0x80000008, %eax
        cpuid
        movzbl  %al, %r8d
arch_cpuid_done:
        mov     %r8, %rax
        pop     %rbx
        ret

// rt_mmuEnable: rcx = root (PML4, or PML5 with LA57). The tables identity-map the
// blob, so execution goes on. Writing CR3 keeps global pages: when CR4.PGE is set,
// toggling it flushes those too.
rt_mmuEnable:
        mov     %rcx, %cr3
        mov     %cr4, %rax
        bt      $0x7, %rax                      // PGE
        jnc     mmu_done
        btr     $0x7, %rax
        mov     %rax, %cr4
        bts     $0x7, %rax
        mov     %rax, %cr4
mmu_done:
        ret
