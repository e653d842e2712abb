// data.s: the blob's variables, GDT and strings. The loader writes handoff_slot only.
        .p2align 3
handoff_slot:
        .quad   0                               // handoff block physical address
handoff_magic:
        .quad   HANDOFF_MAGIC
console:
        .skip   0x20                              // the console in use
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
