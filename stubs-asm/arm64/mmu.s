// mmu.s: what the emulator asks the architecture (rt_archParam, indices in
// templates/arch.ts) and turning the MMU on (rt_mmuEnable). Three translation regimes
// are possible, picked by where kexec left us: EL1 (EL1&0), EL2 with HCR_EL2.E2H set
// (EL2&0, the EL1 register layouts) and EL2 without it (the EL2 regime, its own layouts).

// mmu_regime: w0 = 0 at EL1, 1 at EL2 with E2H, 2 at EL2 without. Leaf; clobbers x0, x1.
mmu_regime:
        mrs     x1, CurrentEL
        ubfx    x1, x1, #2, #2
        mov     x0, #0
        cmp     x1, #2
        b.ne    mmu_regime_done                 // EL1 (hcr_el2 would trap there)
        mrs     x1, hcr_el2
        mov     x0, #2
        tbz     x1, #0x22, mmu_regime_done      // HCR_EL2.E2H is bit 34
        mov     x0, #1
mmu_regime_done:
        ret

// rt_archParam: x0 = index. Descriptors map RAM read/write/executable at our EL (AF, inner
// shareable, AttrIndx 1 = Normal WB) and MMIO as Device-nGnRE (AttrIndx 0), never executed.
// The EL2 regime has one privilege level: AP[1] is RES1 there and XN is bit 54 alone;
// EL1&0 and EL2&0 have UXN (54) and PXN (53). Unknown indices answer 0.
rt_archParam:
        mov     x9, x30
        mov     x10, x0
        bl      mmu_regime
        mov     x30, x9
        mov     x11, #0                         // AP[1] for RAM and MMIO
        mov     x12, #0x60                      // execute-never bits, in bits 63:48
        cmp     w0, #2
        b.ne    ap_index
        mov     x11, #0x40                      // nVHE EL2: AP[1] RES1, XN only
        mov     x12, #0x40
ap_index:
        lsl     x12, x12, #0x30
        cmp     x10, #0
        b.eq    ap_machine
        cmp     x10, #1
        b.eq    ap_levels
        cmp     x10, #2
        b.eq    ap_table
        cmp     x10, #3
        b.eq    ap_block_ram
        cmp     x10, #4
        b.eq    ap_block_device
        cmp     x10, #5
        b.eq    ap_page_ram
        cmp     x10, #6
        b.eq    ap_page_device
        cmp     x10, #7
        b.eq    ap_block_shift
        cmp     x10, #8
        b.eq    ap_pa_bits
        cmp     x10, #9
        b.eq    ap_el
        mov     x0, #0
        ret
ap_machine:
        mov     x0, #0xaa64
        ret
ap_levels:
        mov     x0, #4                          // 4 KiB granule, T0SZ 16: walk from level 0
        ret
ap_table:
        mov     x0, #3
        ret
ap_block_ram:
        mov     x0, #0x705                      // AF | SH inner | AttrIndx 1 | block
        orr     x0, x0, x11
        ret
ap_block_device:
        mov     x0, #0x401                      // AF | AttrIndx 0 | block
        orr     x0, x0, x11
        orr     x0, x0, x12
        ret
ap_page_ram:
        mov     x0, #0x707
        orr     x0, x0, x11
        ret
ap_page_device:
        mov     x0, #0x403
        orr     x0, x0, x11
        orr     x0, x0, x12
        ret
ap_block_shift:
        mov     x0, #0x1e                       // 1 GiB blocks at level 1
        ret
ap_pa_bits:
        bl      mmu_parange
        mov     x30, x9
        mov     x1, #0x2420                     // bytes 32 36 40 42 44 48, by PARange
        movk    x1, #0x2a28, lsl #0x10
        movk    x1, #0x302c, lsl #0x20
        lsl     x0, x0, #3
        lsr     x0, x1, x0
        and     x0, x0, #0xff
        ret
ap_el:
        mrs     x0, CurrentEL
        ubfx    x0, x0, #2, #2
        ret

// mmu_parange: x0 = ID_AA64MMFR0_EL1.PARange capped at 5 (48 bits), which is also the
// TCR (I)PS encoding. Leaf; clobbers x0, x1.
mmu_parange:
        mrs     x0, id_aa64mmfr0_el1
        and     x0, x0, #0xf
        mov     x1, #5
        cmp     x0, x1
        csel    x0, x0, x1, ls
        ret

// rt_mmuEnable: x0 = level-0 table, already cleaned to PoC by the caller. Identity map
// assumed, so execution goes on at the next instruction. Also lets later code use FP/SIMD.
// MAIR: attr0 0x04 Device-nGnRE, attr1 0xff Normal WB RWA. TCR: T0SZ 16, TG0 4K, inner and
// outer WBWA walks, inner shareable: 0x3510, plus the output size and per-regime bits.
rt_mmuEnable:
        mov     x9, x30
        mov     x10, x0
        bl      mmu_parange
        mov     x11, x0                         // (I)PS
        bl      mmu_regime
        mov     x30, x9
        mov     x2, #0xff04                     // MAIR
        mov     x3, #0x3510
        cbz     w0, mmu_el1
        cmp     w0, #1
        b.eq    mmu_el2_vhe
        orr     x3, x3, x11, lsl #0x10          // TCR_EL2.PS at 18:16
        movz    x4, #0x8080, lsl #0x10         // TCR_EL2 RES1 bits 31 and 23
        orr     x3, x3, x4
        msr     mair_el2, x2
        msr     tcr_el2, x3
        msr     ttbr0_el2, x10
        mrs     x4, cptr_el2
        bic     x4, x4, #0x400                  // TFP: FP/SIMD not trapped
        msr     cptr_el2, x4
        b       mmu_el2_on

mmu_el2_vhe:                                    // EL2&0: TCR_EL2 and CPTR_EL2 in EL1 layout
        bl      mmu_tcr_el1_layout
        mov     x30, x9
        msr     mair_el2, x2
        msr     tcr_el2, x3
        msr     ttbr0_el2, x10
        mrs     x4, cptr_el2
        orr     x4, x4, #0x300000               // FPEN = 0b11
        msr     cptr_el2, x4
mmu_el2_on:
        dsb     sy
        isb
        tlbi    alle2                           // the EL2 or EL2&0 regime, as E2H says
        dsb     sy
        ic      iallu                           // no stale lines once the I-cache is on
        dsb     sy
        isb
        mrs     x4, sctlr_el2
        bl      mmu_sctlr
        mov     x30, x9
        msr     sctlr_el2, x4
        isb
        ret

mmu_el1:
        bl      mmu_tcr_el1_layout
        mov     x30, x9
        msr     mair_el1, x2
        msr     tcr_el1, x3
        msr     ttbr0_el1, x10
        mrs     x4, cpacr_el1
        orr     x4, x4, #0x300000               // FPEN = 0b11
        msr     cpacr_el1, x4
        dsb     sy
        isb
        tlbi    vmalle1
        dsb     sy
        ic      iallu
        dsb     sy
        isb
        mrs     x4, sctlr_el1
        bl      mmu_sctlr
        mov     x30, x9
        msr     sctlr_el1, x4
        isb
        ret

// mmu_tcr_el1_layout: x3 |= IPS (x11) at 34:32, EPD1 (no TTBR1 walks), TG1 4K, T1SZ 16.
mmu_tcr_el1_layout:
        orr     x3, x3, x11, lsl #0x20
        movz    x4, #0x8090, lsl #0x10         // TG1 = 0b10 (4K), EPD1, T1SZ = 16
        orr     x3, x3, x4
        ret

// mmu_sctlr: x4 = SCTLR with M, C and I set, A (alignment checks) and WXN clear; SA kept.
mmu_sctlr:
        orr     x4, x4, #1                      // M
        orr     x4, x4, #4                      // C
        orr     x4, x4, #0x1000                 // I
        bic     x4, x4, #2                      // A
        bic     x4, x4, #0x80000                // WXN
        ret
