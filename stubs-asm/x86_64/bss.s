// bss.s: zero-filled variables. They follow the file image, so they take memory but no
// file bytes; entry.s zeroes them before anything reads them.
        .p2align 0x4, 0x0
console:
        .skip   0x20                            // the console in use
