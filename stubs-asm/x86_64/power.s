// power.s: stop the machine. Under QEMU the isa-debug-exit device at port 0xf4 ends
// the run (exit status (0x10 << 1) | 1 = 33, see docs/blob.md); on other machines the
// port write does nothing and the CPU halts with interrupts off.
power_off:
        mov     $0xf4, %dx
        mov     $0x10, %al
        outb    %al, %dx
stop:
        cli
        hlt
        jmp     stop

// rt_halt: templates/fail.ts has printed why; stop the machine.
rt_halt:
        jmp     power_off
