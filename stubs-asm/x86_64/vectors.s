// vectors.s: CPU exceptions. Vectors 0-31 go through 5-byte call stubs to one handler that
// runs on a stack of its own (IST1, from the TSS) so that even a stack fault or a
// double fault is reported: one "gen-purgatory: error: exception" line, the registers,
// then power_off. The blob is position-independent, so the TSS descriptor and the IDT
// are written at run time.

// vectors_install: builds the TSS descriptor (selector 0x20) and the IDT and loads
// both. Clobbers rax, rcx, rdx, r8, r9.
vectors_install:
        lea     tss(%rip), %rax
        lea     __mem_end(%rip), %rcx           // the stack region starts at __mem_end:
        add     $0x800, %rcx                    // its lowest 2 KiB are the handler's
        mov     %rcx, 0x24(%rax)                // IST1
        movw    $0x68, 0x66(%rax)               // I/O map base past the limit: no bitmap
        mov     %rax, %rcx                      // low quad: limit, base 23:0, type, base 31:24
        and     $0xffffff, %ecx
        shl     $0x10, %rcx
        or      $0x67, %rcx                     // limit: the TSS's size - 1
        movabsq $0x0000890000000000, %r8        // present, DPL 0, type 9: available 64-bit TSS
        or      %r8, %rcx                       // (rewritten each time: ltr marks it busy)
        mov     %rax, %r8
        shr     $0x18, %r8
        shl     $0x38, %r8                      // base 31:24 in bits 63:56
        or      %r8, %rcx
        lea     gdt_tss(%rip), %rdx
        mov     %rcx, (%rdx)
        shr     $0x20, %rax                     // high quad: base 63:32
        mov     %rax, 0x8(%rdx)
        mov     $0x20, %ecx
        ltr     %cx
        lea     exc_stubs(%rip), %rax           // stub i is at exc_stubs + 5 * i
        lea     idt(%rip), %rdx
        mov     $0x20, %r9d
vectors_gate:
        mov     %rax, %rcx
        and     $0xffff, %ecx                   // offset 15:0
        or      $0x100000, %ecx                 // selector 0x10
        mov     %rax, %r8
        shr     $0x10, %r8
        shl     $0x30, %r8                      // offset 31:16 in bits 63:48
        or      %r8, %rcx
        movabsq $0x00008e0100000000, %r8        // present 64-bit interrupt gate, DPL 0, IST1
        or      %r8, %rcx
        mov     %rcx, (%rdx)
        mov     %rax, %rcx
        shr     $0x20, %rcx                     // offset 63:32; the rest is reserved (0)
        mov     %rcx, 0x8(%rdx)
        add     $0x5, %rax
        add     $0x10, %rdx
        dec     %r9d
        jnz     vectors_gate
        lea     idt(%rip), %rax
        mov     %rax, idt_base(%rip)            // IDTR wants the table's absolute address
        lidt    idtr(%rip)
        movb    $0x0, exc_active(%rip)          // a blob entered again starts afresh
        ret

// The stubs: one 5-byte call each, back to back; the return address the call pushes
// tells which one ran. The CPU pushes an error code for 8, 10-14, 17, 21, 29 and 30:
// their stubs call exc_entry_err, the others exc_entry, which first adds a 0 in its place.
exc_stubs:
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry_err                   // #DF
        call    exc_entry
        call    exc_entry_err                   // #TS
        call    exc_entry_err                   // #NP
        call    exc_entry_err                   // #SS
        call    exc_entry_err                   // #GP
        call    exc_entry_err                   // #PF
        call    exc_entry
        call    exc_entry
        call    exc_entry_err                   // #AC
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry_err                   // #CP
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry
        call    exc_entry_err                   // #VC
        call    exc_entry_err                   // #SX
        call    exc_entry

// exc_entry: IST1 stack = return address into exc_stubs, rip, cs, ... (no error code).
exc_entry:
        pushq   (%rsp)                          // copy the return address one slot down
        andq    $0x0, 0x8(%rsp)                 // and make its old slot the 0 error code
// exc_entry_err: IST1 stack = return address, error code, rip, ... Turns the return
// address into the vector without touching any other register; then exc_common.
exc_entry_err:
        xchg    %rax, (%rsp)                    // rax parked in the return address's slot
        // The blob is loaded 4 KiB-aligned, so low bytes suffice: al = 5 * (vector + 1).
        sub     $((exc_stubs - __blob_start) & 0xff), %al
        mov     $0x33, %ah
        mul     %ah                             // ax = 0x33 * al = 0xff * (vector + 1): ah = vector
        movzbl  %ah, %eax
        xchg    %rax, (%rsp)                    // rax back, the vector in its slot

// exc_common: IST1 stack = ss, rsp, rflags, cs, rip, error code (0 if none), vector.
// Saves everything into an area at rbx: [0x0] cr0, cr3, cr4, cr2, [0x20] rax, rbx,
// rcx, rdx, rsi, rdi, rbp, rsp, r8-r15, [0xa0] vector, error, rip, cs, rflags, rsp.
exc_common:
        cmpb    $0x0, exc_active(%rip)          // a fault while reporting one: stop at once
        jne     power_off
        movb    $0x1, exc_active(%rip)
        push    %r15
        push    %r14
        push    %r13
        push    %r12
        push    %r11
        push    %r10
        push    %r9
        push    %r8
        pushq   0x68(%rsp)                      // the interrupted rsp, from the CPU's frame
        push    %rbp
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rbx
        push    %rax
        mov     %cr2, %rax
        push    %rax
        mov     %cr4, %rax
        push    %rax
        mov     %cr3, %rax
        push    %rax
        mov     %cr0, %rax
        push    %rax
        mov     %rsp, %rbx
        and     $0xfffffffffffffff0, %rsp       // MS x64: 16-aligned at each call
        cld
        lea     msg_exception(%rip), %rcx
        call    console__puts
        mov     0xa0(%rbx), %rcx
        call    console__puthex                 // the vector
        mov     0xa0(%rbx), %rax
        lea     exc_vec_names(%rip), %rcx
        lea     (%rcx,%rax,8), %rcx             // our stubs push 0-31 only
        call    console__puts
        lea     msg_exc_err(%rip), %rdi
        mov     0xa8(%rbx), %rsi
        call    exc_field
        lea     msg_exc_rip(%rip), %rdi
        mov     0xb0(%rbx), %rsi
        call    exc_field
        lea     msg_exc_cs(%rip), %rdi
        mov     0xb8(%rbx), %rsi
        call    exc_field
        lea     msg_exc_rflags(%rip), %rdi
        mov     0xc0(%rbx), %rsi
        call    exc_field
        lea     msg_exc_rsp(%rip), %rdi
        mov     0xc8(%rbx), %rsi
        call    exc_field
        lea     msg_exc_cr2(%rip), %rdi
        mov     0x18(%rbx), %rsi
        call    exc_field
        mov     $0x0a, %edi
        call    putc
        lea     exc_reg_names(%rip), %r12
        lea     0x20(%rbx), %r13                // rax first
        mov     $0x4, %r15d                     // four lines of four registers
exc_gprs:
        mov     $0x4, %r14d
        call    exc_line
        dec     %r15d
        jnz     exc_gprs
        mov     %rbx, %r13                      // cr0, cr3, cr4: names follow r15's
        mov     $0x3, %r14d
        call    exc_line
        jmp     power_off

// exc_line: prints r14 fields, names from r12 (8 bytes each), values from r13, as one
// indented line; advances r12 and r13. Preserves rbx, rbp, r15.
exc_line:
        sub     $0x28, %rsp                     // entered 8 off 16: shadow space and realign
        lea     msg_exc_indent(%rip), %rcx
        call    console__puts
exc_line_field:
        mov     %r12, %rdi
        mov     (%r13), %rsi
        call    exc_field
        add     $0x8, %r12
        add     $0x8, %r13
        dec     %r14d
        jnz     exc_line_field
        mov     $0x0a, %edi
        call    putc
        add     $0x28, %rsp
        ret

// exc_field: rdi = name, rsi = value; prints both. Preserves rbx, rbp, rdi, rsi, r12-r15.
exc_field:
        sub     $0x28, %rsp
        mov     %rdi, %rcx
        call    console__puts
        mov     %rsi, %rcx
        call    console__puthex
        add     $0x28, %rsp
        ret
