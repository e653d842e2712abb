// data.s: the blob's variables and strings. The loader writes handoff_slot only.
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
psci_conduit:
        .long   0                               // PSCI_NONE, PSCI_HVC or PSCI_SMC
msg_arch:
        .asciz  "arm64"
msg_error:
        .asciz  "gen-purgatory: error: "
msg_no_handoff:
        .asciz  "no valid handoff block (bad magic or version) at handoff_slot = "
// vectors/mmu
msg_exc_kinds:                                  // by vector index & 3
        .asciz  "exception sync"
        .asciz  "exception irq"
        .asciz  "exception fiq"
        .asciz  "exception serror"
msg_exc_groups:                                 // by vector index >> 2
        .asciz  " (current EL with SP0)"
        .asciz  " (current EL with SPx)"
        .asciz  " (lower EL, AArch64)"
        .asciz  " (lower EL, AArch32)"
msg_exc_el:
        .asciz  " el="
msg_exc_esr:
        .asciz  " ESR="
msg_exc_elr:
        .asciz  " ELR="
msg_exc_far:
        .asciz  " FAR="
msg_exc_spsr:
        .asciz  " SPSR="
msg_exc_eq:                                     // after "x<n>" in the register dump
        .asciz  "="
msg_exc_sp:
        .asciz  "sp="
