// vectors.s: the exception vectors of the blob and the emulator. Nothing is expected to
// trap: any exception is a bug or a fault in what we run, so the handler reports the
// machine state on the console in a form a person can act on, then switches off.

// vectors_install: writes the vector table into zero-filled memory (bss.s) and points
// VBAR_EL2 (at EL2) or VBAR_EL1 at it. The table is 2 KiB aligned and holds 16 entries
// of 0x80 bytes, of which each uses three instructions: kept in the file, its padding
// would cost 3 KiB of blob. Entry i is `msr tpidrro_el0, x0; adr x0, .; b exc_vector`;
// only the branch differs, so it is encoded here. Clobbers x0-x6.
vectors_install:
        adr     x0, vector_table
        adr     x1, exc_vector
        ldr     x3, vector_words                // both words at once
        mov     w4, #0x14000000                 // B, imm26 zero
        mov     x2, #0x10
vectors_fill:
        str     x3, [x0]
        add     x5, x0, #8                      // the branch's own address
        sub     x6, x1, x5
        ubfx    x6, x6, #2, #0x1a               // B: imm26 = offset / 4
        orr     w6, w6, w4
        str     w6, [x5]
        add     x0, x0, #0x80
        subs    x2, x2, #1
        b.ne    vectors_fill
        dsb     ish                             // the words reach memory before any fetch
        ic      iallu
        dsb     ish
        isb
        adr     x0, vector_table
        mrs     x1, CurrentEL
        ubfx    x1, x1, #2, #2
        cmp     x1, #2
        b.ne    vectors_install_el1
        msr     vbar_el2, x0
        isb
        ret
vectors_install_el1:
        msr     vbar_el1, x0
        isb
        ret

// The first two words of every entry, copied (never run here). The interrupted x0
// goes to a system register, as sp may be corrupt and no register is free.
vector_words:
        msr     tpidrro_el0, x0
vector_adr:
        adr     x0, vector_adr                  // the entry's own address

// exc_vector: x0 = the entry's address, tpidrro_el0 the interrupted x0. The table is
// 2 KiB aligned, so the entry's index (4 * group + kind; groups: current EL with SP0,
// with SPx, lower EL AArch64, AArch32; kinds: sync, irq, fiq, serror) is bits 10:7.
exc_vector:
        msr     tpidr_el0, x1
        adr     x1, exc_save
        ubfx    x0, x0, #7, #4

// exc_common: x0 = vector index, x1 = exc_save, tpidrro_el0 and tpidr_el0 the
// interrupted x0 and x1. Saves the rest, then reports on the emergency stack.
exc_common:
        stp     x2, x3, [x1, #0x10]
        stp     x4, x5, [x1, #0x20]
        stp     x6, x7, [x1, #0x30]
        stp     x8, x9, [x1, #0x40]
        stp     x10, x11, [x1, #0x50]
        stp     x12, x13, [x1, #0x60]
        stp     x14, x15, [x1, #0x70]
        stp     x16, x17, [x1, #0x80]
        stp     x18, x19, [x1, #0x90]
        stp     x20, x21, [x1, #0xa0]
        stp     x22, x23, [x1, #0xb0]
        stp     x24, x25, [x1, #0xc0]
        stp     x26, x27, [x1, #0xd0]
        stp     x28, x29, [x1, #0xe0]
        str     x30, [x1, #0xf0]
        mrs     x2, tpidrro_el0
        mrs     x3, tpidr_el0
        stp     x2, x3, [x1]
        adr     x2, exc_depth                   // an exception while reporting one: stop
        ldr     w3, [x2]
        add     w4, w3, #1
        str     w4, [x2]
        cbz     w3, exc_first
        cmp     w3, #1
        b.eq    power_off                       // second entry: switch off without a word
        b       stop                            // power_off itself faults: park the CPU
exc_first:
        mov     x19, x0                         // vector index
        mov     x20, x1                         // save area
        mrs     x25, CurrentEL
        ubfx    x25, x25, #2, #2
        cmp     x25, #2
        b.ne    exc_regs_el1
        mrs     x21, esr_el2
        mrs     x22, elr_el2
        mrs     x23, far_el2
        mrs     x24, spsr_el2
        b       exc_sp
exc_regs_el1:
        mrs     x21, esr_el1
        mrs     x22, elr_el1
        mrs     x23, far_el1
        mrs     x24, spsr_el1
exc_sp:                                         // the interrupted sp: by group and SPSR.M
        mov     x2, sp                          // current EL with SPx: the one we are on
        lsr     x3, x19, #2
        cmp     x3, #1
        b.eq    exc_sp_done
        mrs     x2, sp_el0                      // SP0, or a lower EL running on SP_EL0
        cbz     x3, exc_sp_done
        and     x4, x24, #0xf
        cmp     x4, #5                          // EL1h trapped to EL2: SP_EL1
        b.ne    exc_sp_done
        cmp     x25, #2
        b.ne    exc_sp_done
        mrs     x2, sp_el1
exc_sp_done:
        str     x2, [x20, #0xf8]
        adr     x2, __mem_end                   // emergency stack: the lowest 0x800 bytes
        add     x2, x2, #0x800                  // of the blob stack
        mov     sp, x2
        bl      exc_report
        b       power_off

// exc_report: prints the summary line, then the registers four to a line. Uses x19-x26.
exc_report:
        stp     x29, x30, [sp, #-0x10]!
        adr     x0, msg_error
        bl      console__puts
        adr     x0, msg_exc_kinds
        and     x1, x19, #3
        bl      exc_nth
        bl      console__puts
        adr     x0, msg_exc_groups
        lsr     x1, x19, #2
        bl      exc_nth
        bl      console__puts
        adr     x0, msg_exc_el
        bl      console__puts
        add     w0, w25, #0x30
        bl      putc
        adr     x0, msg_exc_esr
        mov     x1, x21
        bl      exc_field
        adr     x0, msg_exc_elr
        mov     x1, x22
        bl      exc_field
        adr     x0, msg_exc_far
        mov     x1, x23
        bl      exc_field
        adr     x0, msg_exc_spsr
        mov     x1, x24
        bl      exc_field
        mov     x26, #0                         // x0..x30, then sp at index 31
exc_report_reg:
        and     x0, x26, #3
        cbnz    x0, exc_report_sep
        mov     w0, #0x0a                       // a new line every four registers
        bl      putc
        mov     w0, #0x20
        bl      putc
exc_report_sep:
        mov     w0, #0x20
        bl      putc
        cmp     x26, #0x1f
        b.eq    exc_report_sp
        mov     w0, #0x78                       // "x", then the number in decimal
        bl      putc
        mov     x1, #0xa
        udiv    x2, x26, x1                     // tens (putc keeps x0-x8)
        cbz     x2, exc_report_units
        add     w0, w2, #0x30
        bl      putc
exc_report_units:
        msub    x0, x2, x1, x26                 // units
        add     w0, w0, #0x30
        bl      putc
        adr     x0, msg_exc_eq
        b       exc_report_value
exc_report_sp:
        adr     x0, msg_exc_sp
exc_report_value:
        ldr     x1, [x20, x26, lsl #3]
        bl      exc_field
        add     x26, x26, #1
        cmp     x26, #0x20
        b.lo    exc_report_reg
        mov     w0, #0x0a
        bl      putc
        ldp     x29, x30, [sp], #0x10
        ret

// exc_field: prints the string at x0, then x1 in hex. Clobbers x0-x17 (compiled code).
exc_field:
        stp     x1, x30, [sp, #-0x10]!
        bl      console__puts
        ldr     x0, [sp]
        bl      console__puthex
        ldp     x1, x30, [sp], #0x10
        ret

// exc_nth: x0 = the x1-th of consecutive NUL-terminated strings starting at x0. Leaf.
exc_nth:
        cbz     x1, exc_nth_done
exc_nth_skip:
        ldrb    w2, [x0], #1
        cbnz    w2, exc_nth_skip
        sub     x1, x1, #1
        b       exc_nth
exc_nth_done:
        ret
