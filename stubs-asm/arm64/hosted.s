// hosted.s: the console for Linux user-mode test programs (compile --run): putc writes
// the byte to stdout instead of a UART. Never part of the blob.
putc:                                           // w0 = byte
        sub     sp, sp, #0x10
        strb    w0, [sp]
        mov     x0, #1                          // stdout
        mov     x1, sp
        mov     x2, #1
        mov     x8, #0x40                       // write
        svc     #0
        add     sp, sp, #0x10
        ret
