// data.s: the blob's variables, GDT and strings. The loader writes handoff_slot only.
        .p2align 3
handoff_slot:
        .quad   0                               // handoff block physical address
handoff_magic:
        .quad   HANDOFF_MAGIC
console_default:                                // the console baked in at generation
        .long   CONSOLE_KIND
        .long   CONSOLE_SPACE
        .quad   CONSOLE_BASE
        .long   CONSOLE_SHIFT
        .long   CONSOLE_WIDTH
        .long   CONSOLE_BAUD
        .long   0
gdt:
        .quad   0
        .quad   0x00cf9a000000ffff              // 0x08: 32-bit code, as in kexec's GDT
        .quad   0x00af9a000000ffff              // 0x10: 64-bit code
        .quad   0x00cf92000000ffff              // 0x18: flat data
gdt_tss:
        .quad   0                               // 0x20: 64-bit TSS, 16 bytes; vectors_install
        .quad   0                               // writes it (its base is only known at run time)
gdt_end:
gdtr:
        .short  gdt_end - gdt - 1
gdt_base:
        .quad   0                               // filled with gdt's address at entry
msg_arch:
        .asciz  "x86_64"
msg_error:
        .asciz  "gen-purgatory: error: "
msg_no_handoff:
        .asciz  "no valid handoff block (bad magic or version) at handoff_slot = "
// vectors/mmu: the exception machinery (vectors.s) and CPU setup (mmu.s).
mxcsr_init:
        .long   0x1f80                          // MXCSR at reset: all exceptions masked
idtr:
        .short  idt_end - idt - 1
idt_base:
        .quad   0                               // filled with idt's address by vectors_install
msg_exception:
        .asciz  "gen-purgatory: error: exception "
// Each name is 8 bytes: vector i's is at exc_vec_names + 8 * i. "---": reserved.
        .p2align 0x3, 0x0
exc_vec_names:
        .asciz  " #DE"
        .byte   0, 0, 0
        .asciz  " #DB"
        .byte   0, 0, 0
        .asciz  " NMI"
        .byte   0, 0, 0
        .asciz  " #BP"
        .byte   0, 0, 0
        .asciz  " #OF"
        .byte   0, 0, 0
        .asciz  " #BR"
        .byte   0, 0, 0
        .asciz  " #UD"
        .byte   0, 0, 0
        .asciz  " #NM"
        .byte   0, 0, 0
        .asciz  " #DF"
        .byte   0, 0, 0
        .asciz  " ---"                          // 9: coprocessor segment overrun (386 only)
        .byte   0, 0, 0
        .asciz  " #TS"
        .byte   0, 0, 0
        .asciz  " #NP"
        .byte   0, 0, 0
        .asciz  " #SS"
        .byte   0, 0, 0
        .asciz  " #GP"
        .byte   0, 0, 0
        .asciz  " #PF"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " #MF"
        .byte   0, 0, 0
        .asciz  " #AC"
        .byte   0, 0, 0
        .asciz  " #MC"
        .byte   0, 0, 0
        .asciz  " #XM"
        .byte   0, 0, 0
        .asciz  " #VE"
        .byte   0, 0, 0
        .asciz  " #CP"
        .byte   0, 0, 0
        .asciz  " ---"                          // 22-27: reserved
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
        .asciz  " #HV"
        .byte   0, 0, 0
        .asciz  " #VC"
        .byte   0, 0, 0
        .asciz  " #SX"
        .byte   0, 0, 0
        .asciz  " ---"
        .byte   0, 0, 0
// Register names, 8 bytes each, in the order of the handler's save area (vectors.s).
exc_reg_names:
        .asciz  " rax="
        .byte   0, 0
        .asciz  " rbx="
        .byte   0, 0
        .asciz  " rcx="
        .byte   0, 0
        .asciz  " rdx="
        .byte   0, 0
        .asciz  " rsi="
        .byte   0, 0
        .asciz  " rdi="
        .byte   0, 0
        .asciz  " rbp="
        .byte   0, 0
        .asciz  " rsp="
        .byte   0, 0
        .asciz  " r8="
        .byte   0, 0, 0
        .asciz  " r9="
        .byte   0, 0, 0
        .asciz  " r10="
        .byte   0, 0
        .asciz  " r11="
        .byte   0, 0
        .asciz  " r12="
        .byte   0, 0
        .asciz  " r13="
        .byte   0, 0
        .asciz  " r14="
        .byte   0, 0
        .asciz  " r15="
        .byte   0, 0
        .asciz  " cr0="
        .byte   0, 0
        .asciz  " cr3="
        .byte   0, 0
        .asciz  " cr4="
        .byte   0, 0
msg_exc_err:
        .asciz  " err="
msg_exc_rip:
        .asciz  " rip="
msg_exc_cs:
        .asciz  " cs="
msg_exc_rflags:
        .asciz  " rflags="
msg_exc_rsp:
        .asciz  " rsp="
msg_exc_cr2:
        .asciz  " cr2="
msg_exc_indent:
        .asciz  " "
