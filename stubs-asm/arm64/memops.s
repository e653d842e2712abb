// memops.s: CopyMem and SetMem for the emulator (templates call copyMem/setMem). The MMU
// may be off, when memory is Device memory and unaligned accesses fault, so every access
// here is aligned: bytes at the edges, 16-byte ldp/stp in the middle. No FP/SIMD
// registers (the caller may not have enabled them) and no dc zva.

// rt_copyMem: x0 = dst, x1 = src, x2 = n. The ranges may overlap. Clobbers x0-x11.
rt_copyMem:
        sub     x3, x0, x1
        cbz     x3, cm_done                     // same place: nothing moves
        cmp     x3, x2
        b.lo    cm_backward                     // src < dst < src+n: forward would eat the tail
        cmp     x2, #0x10
        b.lo    cm_fwd_bytes
        neg     x4, x0
        and     x4, x4, #0xf                    // bytes until dst is 16-aligned
        sub     x2, x2, x4
cm_fwd_head:
        cbz     x4, cm_fwd_aligned
        ldrb    w5, [x1], #1
        strb    w5, [x0], #1
        sub     x4, x4, #1
        b       cm_fwd_head
cm_fwd_aligned:
        tst     x1, #7
        b.ne    cm_fwd_shift                    // src not 8-aligned: merge aligned words
cm_fwd_64:
        cmp     x2, #0x40
        b.lo    cm_fwd_16
        ldp     x4, x5, [x1]                    // all loads before the stores: with dst < src
        ldp     x6, x7, [x1, #0x10]             // the stores only reach bytes already read
        ldp     x8, x9, [x1, #0x20]
        ldp     x10, x11, [x1, #0x30]
        stp     x4, x5, [x0]
        stp     x6, x7, [x0, #0x10]
        stp     x8, x9, [x0, #0x20]
        stp     x10, x11, [x0, #0x30]
        add     x1, x1, #0x40
        add     x0, x0, #0x40
        sub     x2, x2, #0x40
        b       cm_fwd_64
cm_fwd_16:
        cmp     x2, #0x10
        b.lo    cm_fwd_bytes
        ldp     x4, x5, [x1], #0x10
        stp     x4, x5, [x0], #0x10
        sub     x2, x2, #0x10
        b       cm_fwd_16
cm_fwd_bytes:
        cbz     x2, cm_done
        ldrb    w5, [x1], #1
        strb    w5, [x0], #1
        sub     x2, x2, #1
        b       cm_fwd_bytes
cm_done:
        ret

// dst is 16-aligned, src is not 8-aligned: each stored word joins two aligned source
// words. x6 = the next aligned word to load, x7 = 8 * (src & 7) bits of the low word to
// drop, x8 = 64 - x7. Only aligned words holding a byte to copy are read, so no read
// crosses into a page the source does not touch.
cm_fwd_shift:
        cmp     x2, #8
        b.lo    cm_fwd_bytes
        and     x7, x1, #7
        lsl     x7, x7, #3
        mov     x8, #0x40
        sub     x8, x8, x7
        bic     x6, x1, #7
        ldr     x4, [x6], #8                    // the aligned word holding the first byte
cm_fwd_shift_loop:
        ldr     x5, [x6], #8
        lsr     x9, x4, x7
        lsl     x10, x5, x8
        orr     x9, x9, x10
        str     x9, [x0], #8
        mov     x4, x5
        add     x1, x1, #8
        sub     x2, x2, #8
        cmp     x2, #8                          // the next word holds a byte still to copy
        b.hs    cm_fwd_shift_loop
        b       cm_fwd_bytes

// Backward: from the ends down, so a dst above src never overwrites unread bytes.
cm_backward:
        add     x0, x0, x2
        add     x1, x1, x2
        cmp     x2, #0x10
        b.lo    cm_bwd_bytes
        and     x4, x0, #0xf                    // bytes until the end of dst is 16-aligned
        sub     x2, x2, x4
cm_bwd_head:
        cbz     x4, cm_bwd_aligned
        ldrb    w5, [x1, #-1]!
        strb    w5, [x0, #-1]!
        sub     x4, x4, #1
        b       cm_bwd_head
cm_bwd_aligned:
        tst     x1, #7
        b.ne    cm_bwd_shift
cm_bwd_64:
        cmp     x2, #0x40
        b.lo    cm_bwd_16
        ldp     x4, x5, [x1, #-0x10]
        ldp     x6, x7, [x1, #-0x20]
        ldp     x8, x9, [x1, #-0x30]
        ldp     x10, x11, [x1, #-0x40]
        stp     x4, x5, [x0, #-0x10]
        stp     x6, x7, [x0, #-0x20]
        stp     x8, x9, [x0, #-0x30]
        stp     x10, x11, [x0, #-0x40]
        sub     x1, x1, #0x40
        sub     x0, x0, #0x40
        sub     x2, x2, #0x40
        b       cm_bwd_64
cm_bwd_16:
        cmp     x2, #0x10
        b.lo    cm_bwd_bytes
        ldp     x4, x5, [x1, #-0x10]!
        stp     x4, x5, [x0, #-0x10]!
        sub     x2, x2, #0x10
        b       cm_bwd_16
cm_bwd_bytes:
        cbz     x2, cm_done
        ldrb    w5, [x1, #-1]!
        strb    w5, [x0, #-1]!
        sub     x2, x2, #1
        b       cm_bwd_bytes

// The backward twin of cm_fwd_shift: x1 and x0 are one past the bytes still to copy,
// x0 16-aligned; x6 = the aligned word holding the byte before x1.
cm_bwd_shift:
        cmp     x2, #8
        b.lo    cm_bwd_bytes
        and     x7, x1, #7
        lsl     x7, x7, #3                      // bits of the high word that belong below x1
        mov     x8, #0x40
        sub     x8, x8, x7
        bic     x6, x1, #7
        ldr     x4, [x6]                        // the aligned word holding the byte before x1
cm_bwd_shift_loop:
        ldr     x5, [x6, #-8]!
        lsl     x9, x4, x8
        lsr     x10, x5, x7
        orr     x9, x9, x10
        str     x9, [x0, #-8]!
        mov     x4, x5
        sub     x1, x1, #8
        sub     x2, x2, #8
        cmp     x2, #8
        b.hs    cm_bwd_shift_loop
        b       cm_bwd_bytes

// rt_setMem: x0 = dst, x1 = n, w2 = byte. Clobbers x0-x4.
rt_setMem:
        and     x2, x2, #0xff
        orr     x2, x2, x2, lsl #8
        orr     x2, x2, x2, lsl #0x10
        orr     x2, x2, x2, lsl #0x20           // the byte in all eight lanes
        cmp     x1, #0x10
        b.lo    sm_bytes
        neg     x4, x0
        and     x4, x4, #0xf                    // bytes until dst is 16-aligned
        sub     x1, x1, x4
sm_head:
        cbz     x4, sm_64
        strb    w2, [x0], #1
        sub     x4, x4, #1
        b       sm_head
sm_64:
        cmp     x1, #0x40
        b.lo    sm_16
        stp     x2, x2, [x0]
        stp     x2, x2, [x0, #0x10]
        stp     x2, x2, [x0, #0x20]
        stp     x2, x2, [x0, #0x30]
        add     x0, x0, #0x40
        sub     x1, x1, #0x40
        b       sm_64
sm_16:
        cmp     x1, #0x10
        b.lo    sm_bytes
        stp     x2, x2, [x0], #0x10
        sub     x1, x1, #0x10
        b       sm_16
sm_bytes:
        cbz     x1, sm_done
        strb    w2, [x0], #1
        sub     x1, x1, #1
        b       sm_bytes
sm_done:
        ret
