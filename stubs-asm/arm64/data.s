// data.s: the blob's variables and strings. The loader writes handoff_slot only.
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
psci_conduit:
        .long   0                               // PSCI_NONE, PSCI_HVC or PSCI_SMC
msg_arch:
        .asciz  "arm64"
msg_error:
        .asciz  "gen-purgatory: error: "
msg_no_handoff:
        .asciz  "no valid handoff block (bad magic or version) at handoff_slot = "
