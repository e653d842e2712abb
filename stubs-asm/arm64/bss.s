// bss.s: zero-filled variables. They follow the file image, so they take memory but no
// file bytes; entry.s zeroes them before anything reads them.
        .p2align 4
console:
        .skip   0x20                            // the console in use
exc_save:                                       // x0-x30 and sp of the exception reported
        .skip   0x110
exc_depth:
        .skip   0x4                             // exceptions taken: a second one stops at once
        .p2align 0xb
vector_table:                                   // written by vectors_install (vectors.s)
        .skip   0x800
