// power.s: switch the machine off through PSCI SYSTEM_OFF, using the conduit (HVC or
// SMC) the loader read from the DT's /psci node. Without one, park the CPU.
rt_halt:                                        // the emulator gave up after printing why
power_off:
        adr     x1, psci_conduit
        ldr     w1, [x1]
        mov     x0, #0x0008
        movk    x0, #0x8400, lsl #0x10            // PSCI_SYSTEM_OFF = 0x84000008
        cmp     w1, #PSCI_HVC
        b.eq    power_off_hvc
        cmp     w1, #PSCI_SMC
        b.eq    power_off_smc
        b       stop
power_off_hvc:
        hvc     #0
        b       stop
power_off_smc:
        smc     #0
stop:
        wfi                                     // nothing left to do: wait forever
        b       stop
