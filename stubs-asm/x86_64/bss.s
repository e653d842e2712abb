// bss.s: zero-filled variables. They follow the file image, so they take memory but no
// file bytes; entry.s zeroes them before anything reads them.
        .p2align 0x4, 0x0
console:
        .skip   0x20                            // the console in use
exc_active:
        .skip   0x1                             // set by the first exception, see vectors.s
        .p2align 0x7, 0x0                       // 128-aligned: the TSS never crosses a page
tss:
        .skip   0x68                            // 64-bit TSS; only IST1 and the I/O map base are used
tss_end:
        .p2align 0x4, 0x0
idt:
        .skip   0x200                           // 32 interrupt gates of 16 bytes
idt_end:
