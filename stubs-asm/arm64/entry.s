// entry.s: where kexec jumps. MMU and caches are off, we may be at EL1 or EL2.
// Two ways in: _start, where no register carries anything (kexec_load passes x0 = 0)
// and everything is found through handoff_slot, which our loader filled; and
// wayin_start, the entry of a wrapped image (docs/wrap.md), where x0 = the DTB the
// loader built and a reader in templates/ turns it into the same handoff block.
wayin_start:
        msr     daifset, #0xf                   // interrupts stay masked until Linux runs
        mov     x21, x0                         // x21 = the DTB, until the reader runs
        mov     x22, #1                         // x22 = 1: entered by the way in
        b       common_start
_start:
        msr     daifset, #0xf
        mov     x22, xzr
common_start:
        adr     x0, __mem_end
        add     x0, x0, #STACK_SIZE             // stack: STACK_SIZE bytes past the zeroed data
        mov     sp, x0                          // __mem_end is 16-aligned, so is sp
        adr     x0, __file_end                  // zero-filled data: kexec cleared it, but a
        adr     x1, __mem_end                   // blob entered twice must not see stale values
zero_data:
        cmp     x0, x1
        b.hs    zero_data_done
        str     xzr, [x0], #8                   // both ends are 16-aligned
        b       zero_data
zero_data_done:
        adr     x20, __blob_start               // x20 = the start of our own memory
        cbnz    x22, wayin
        adr     x0, handoff_slot
        ldr     x19, [x0]                       // x19 = handoff block, for the whole run
handoff_ready:
        mov     x0, x19
        bl      handoff_valid
        cbz     w0, no_handoff
        mov     x0, x19
        bl      console_setup                   // the handoff's console, else the built-in one
        bl      vectors_install                 // from here on a fault prints a register dump
        ldr     w0, [x19, #HO_PSCI]
        adr     x1, psci_conduit
        str     w0, [x1]                        // power_off needs it later
        mov     x0, x19                         // banner(handoff, arch, el) in templates/banner.ts
        adr     x1, msg_arch
        mrs     x2, CurrentEL
        ubfx    x2, x2, #2, #2                  // CurrentEL.EL
        add     x2, x2, #0x30                   // as a digit
        bl      banner__banner
        mov     x0, x19                         // efiMain(handoff, our memory's start and end, console)
        mov     x1, x20
        adr     x2, __mem_end
        add     x2, x2, #STACK_SIZE
        adr     x3, console
        bl      firmware__efiMain               // templates/firmware.ts: never returns
        b       power_off

// The wrapped image starts WRAP_BLOB_OFFSET before us; its record may name a console.
// Faults in the reader print a register dump, its errors a line, like the boot's own.
wayin:
        sub     x20, x20, #WRAP_BLOB_OFFSET     // our memory starts with the wrapped image
        add     x0, x20, #WRAP_RECORD_OFFSET + WR_CONSOLE
        bl      console_use
        bl      vectors_install
        mov     x0, x21                         // wayinDtb(dtb, wrapped image) in templates/wayin/dtb.ts
        mov     x1, x20
        bl      dtb__wayinDtb                   // returns the handoff block it filled
        mov     x19, x0
        b       handoff_ready

no_handoff:
        mov     x0, xzr
        bl      console_setup                   // only the built-in console is known
        adr     x0, msg_no_handoff
        mov     x1, x19
        b       fail

// handoff_valid: x0 = block address. w0 = 1 if it is an aligned version-1 block.
handoff_valid:
        tst     x0, #7
        b.ne    handoff_bad                     // also rejects 0 below: unaligned loads fault
        cbz     x0, handoff_bad
        ldr     x1, [x0, #HO_MAGIC]
        ldr     x2, handoff_magic
        cmp     x1, x2
        b.ne    handoff_bad
        ldr     w1, [x0, #HO_VERSION]
        cmp     w1, #HANDOFF_VERSION
        b.ne    handoff_bad
        mov     w0, #1
        ret
handoff_bad:
        mov     w0, #0
        ret

// fail: x0 = message, x1 = the value it is about. Prints one line and stops.
fail:
        mov     x19, x1
        mov     x20, x0
        adr     x0, msg_error
        bl      console__puts
        mov     x0, x20
        bl      console__puts
        mov     x0, x19
        bl      console__puthex
        mov     w0, #0x0a
        bl      putc
        b       power_off
