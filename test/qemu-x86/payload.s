// payload.s: a stand-in for the blob, entered by the q35 shim. It records the entry
// state before touching anything, then reports on COM1 and exits through isa-debug-exit
// with PAYLOAD_EXIT (QEMU status (PAYLOAD_EXIT << 1) | 1).
// The test prepends: HANDOFF, DATA_ADDR, DATA_FILE_SIZE, DATA_SIZE, PAYLOAD_EXIT, and
// appends `segs:` (.quad addr, size per segment) and `segs_end:`.
// keystone reads bare decimals as hex: numbers of two or more digits are 0x-hex.

_start:
        movq    %rax, saved(%rip)               // GPRs first, before anything changes them
        movq    %rbx, saved + 0x8(%rip)
        movq    %rcx, saved + 0x10(%rip)
        movq    %rdx, saved + 0x18(%rip)
        movq    %rsi, saved + 0x20(%rip)
        movq    %rdi, saved + 0x28(%rip)
        movq    %rbp, saved + 0x30(%rip)
        movq    %r8, saved + 0x38(%rip)
        movq    %r9, saved + 0x40(%rip)
        movq    %r10, saved + 0x48(%rip)
        movq    %r11, saved + 0x50(%rip)
        movq    %r12, saved + 0x58(%rip)
        movq    %r13, saved + 0x60(%rip)
        movq    %r14, saved + 0x68(%rip)
        movq    %r15, saved + 0x70(%rip)
        movq    %rsp, entry_rsp(%rip)
        lea     stack_top(%rip), %rsp           // our own stack, not the shim's
        pushfq                                  // before any flag-setting instruction
        popq    %rax
        movq    %rax, entry_rflags(%rip)

        lea     saved(%rip), %rsi               // OR of the 15 GPRs
        xorl    %eax, %eax
        movl    $0xf, %ecx
gpr_or:
        orq     (%rsi), %rax
        addq    $0x8, %rsi
        decl    %ecx
        jnz     gpr_or
        movq    %rax, %rbx
        lea     msg_gprs(%rip), %rsi
        call    puts
        movq    %rbx, %rax
        call    puthex
        call    eol

        lea     msg_rsp(%rip), %rsi
        call    puts
        movq    entry_rsp(%rip), %rax
        call    puthex
        call    eol

        call    report_control
        call    check_data
        call    report_regions
        call    check_covered
        call    check_identity

        movl    $PAYLOAD_EXIT, %eax
        outl    %eax, $0xf4
halt:
        hlt
        jmp     halt

// report_control: "payload: cr0 .. cr4 .. efer .. cs .. ds .. ss .. rflags .."
report_control:
        lea     msg_cr0(%rip), %rsi
        call    puts
        movq    %cr0, %rax
        call    puthex
        lea     msg_cr4(%rip), %rsi
        call    puts
        movq    %cr4, %rax
        call    puthex
        lea     msg_efer(%rip), %rsi
        call    puts
        movl    $0xc0000080, %ecx
        rdmsr
        shlq    $0x20, %rdx
        orq     %rdx, %rax
        call    puthex
        lea     msg_cs(%rip), %rsi
        call    puts
        xorl    %eax, %eax
        movw    %cs, %ax
        call    puthex
        lea     msg_ds(%rip), %rsi
        call    puts
        xorl    %eax, %eax
        movw    %ds, %ax
        call    puthex
        lea     msg_ss(%rip), %rsi
        call    puts
        xorl    %eax, %eax
        movw    %ss, %ax
        call    puthex
        lea     msg_rflags(%rip), %rsi
        call    puts
        movq    entry_rflags(%rip), %rax
        call    puthex
        jmp     eol

// check_data: the data segment holds word i = i ^ 0xa5a5a5a5, then zeros to DATA_SIZE.
check_data:
        movabsq $DATA_ADDR, %rsi
        xorl    %ecx, %ecx
data_loop:
        cmpq    $DATA_FILE_SIZE / 0x4, %rcx
        jae     tail_check
        movl    %ecx, %eax
        xorl    $0xa5a5a5a5, %eax
        cmpl    (%rsi, %rcx, 4), %eax
        jne     data_bad
        incq    %rcx
        jmp     data_loop
tail_check:
        movabsq $DATA_ADDR + DATA_FILE_SIZE, %rsi
        movq    $DATA_SIZE - DATA_FILE_SIZE, %rcx
tail_loop:
        testq   %rcx, %rcx
        jz      data_ok
        cmpb    $0x0, (%rsi)
        jne     data_bad
        incq    %rsi
        decq    %rcx
        jmp     tail_loop
data_ok:
        lea     msg_data_ok(%rip), %rsi
        call    puts
        jmp     eol
data_bad:
        lea     msg_data_bad(%rip), %rsi
        call    puts
        jmp     eol

// report_regions: "payload: regions N", then one line per handoff region.
report_regions:
        movabsq $HANDOFF, %rbx
        lea     msg_regions(%rip), %rsi
        call    puts
        movl    0xb0(%rbx), %eax
        movl    %eax, %r12d
        call    puthex
        call    eol
        movq    0xb8(%rbx), %r13
        addq    %rbx, %r13                      // r13 = region array
regions_loop:
        testl   %r12d, %r12d
        jz      regions_done
        lea     msg_region(%rip), %rsi
        call    puts
        movq    (%r13), %rax
        call    puthex
        lea     msg_plus(%rip), %rsi
        call    puts
        movq    0x8(%r13), %rax
        call    puthex
        lea     msg_type(%rip), %rsi
        call    puts
        movl    0x10(%r13), %eax
        call    puthex
        call    eol
        addq    $0x18, %r13
        decl    %r12d
        jmp     regions_loop
regions_done:
        ret

// check_covered: every segment in `segs` lies inside one usable handoff region.
check_covered:
        lea     segs(%rip), %r14
covered_loop:
        lea     segs_end(%rip), %rax
        cmpq    %rax, %r14
        jae     covered_ok
        movq    (%r14), %r9
        movq    %r9, %r10
        addq    0x8(%r14), %r10
        movabsq $HANDOFF, %rbx
        movl    0xb0(%rbx), %r12d
        movq    0xb8(%rbx), %r13
        addq    %rbx, %r13
covered_search:
        testl   %r12d, %r12d
        jz      covered_bad
        cmpl    $0x1, 0x10(%r13)
        jne     covered_next
        movq    (%r13), %rax
        cmpq    %rax, %r9
        jb      covered_next
        addq    0x8(%r13), %rax
        cmpq    %rax, %r10
        jbe     covered_found
covered_next:
        addq    $0x18, %r13
        decl    %r12d
        jmp     covered_search
covered_found:
        addq    $0x10, %r14
        jmp     covered_loop
covered_ok:
        lea     msg_covered(%rip), %rsi
        call    puts
        jmp     eol
covered_bad:
        lea     msg_uncovered(%rip), %rsi
        call    puts
        movq    %r9, %rax
        call    puthex
        jmp     eol

// check_identity: walks CR3 for every 2 MiB of every usable handoff region.
check_identity:
        movabsq $HANDOFF, %rbx
        movl    0xb0(%rbx), %r12d
        movq    0xb8(%rbx), %r13
        addq    %rbx, %r13
ident_region:
        testl   %r12d, %r12d
        jz      ident_ok
        cmpl    $0x1, 0x10(%r13)
        jne     ident_next_region
        movq    (%r13), %r14                    // r14 = address, r15 = region end
        movq    %r14, %r15
        addq    0x8(%r13), %r15
        andq    $-0x200000, %r14
ident_page:
        cmpq    %r15, %r14
        jae     ident_next_region
        movq    %r14, %rdi
        call    is_identity
        testl   %eax, %eax
        jz      ident_bad
        addq    $0x200000, %r14
        jmp     ident_page
ident_next_region:
        addq    $0x18, %r13
        decl    %r12d
        jmp     ident_region
ident_ok:
        lea     msg_ident_ok(%rip), %rsi
        call    puts
        jmp     eol
ident_bad:
        lea     msg_ident_bad(%rip), %rsi
        call    puts
        movq    %r14, %rax
        call    puthex
        jmp     eol

// is_identity: rdi = 2 MiB-aligned address. eax = 1 if CR3 maps it to itself with a
// 2 MiB or 1 GiB page. Clobbers rax, rcx, rdx, r11.
is_identity:
        movabsq $0x000ffffffffff000, %r11       // table address bits of an entry
        movq    %cr3, %rax
        andq    %r11, %rax
        movq    %rdi, %rcx
        shrq    $0x27, %rcx                     // PML4 index
        andl    $0x1ff, %ecx
        movq    (%rax, %rcx, 8), %rax
        testb   $0x1, %al
        jz      ident_no
        andq    %r11, %rax
        movq    %rdi, %rcx
        shrq    $0x1e, %rcx                     // PDPT index
        andl    $0x1ff, %ecx
        movq    (%rax, %rcx, 8), %rax
        testb   $0x1, %al
        jz      ident_no
        testb   $0x80, %al
        jnz     ident_1g
        andq    %r11, %rax
        movq    %rdi, %rcx
        shrq    $0x15, %rcx                     // PD index
        andl    $0x1ff, %ecx
        movq    (%rax, %rcx, 8), %rax
        testb   $0x1, %al
        jz      ident_no
        testb   $0x80, %al
        jz      ident_no                        // 4 KiB tables: not what the shim builds
        andq    %r11, %rax
        cmpq    %rdi, %rax
        jne     ident_no
        movl    $0x1, %eax
        ret
ident_1g:
        andq    %r11, %rax
        andq    $-0x40000000, %rax
        movq    %rdi, %rdx
        andq    $-0x40000000, %rdx
        cmpq    %rdx, %rax
        jne     ident_no
        movl    $0x1, %eax
        ret
ident_no:
        xorl    %eax, %eax
        ret

eol:
        lea     msg_eol(%rip), %rsi
        jmp     puts                            // puts lives in stubs-asm/shim/com1.s

msg_gprs:       .asciz "payload: gprs "
msg_rsp:        .asciz "payload: rsp "
msg_cr0:        .asciz "payload: cr0 "
msg_cr4:        .asciz " cr4 "
msg_efer:       .asciz " efer "
msg_cs:         .asciz " cs "
msg_ds:         .asciz " ds "
msg_ss:         .asciz " ss "
msg_rflags:     .asciz " rflags "
msg_data_ok:    .asciz "payload: data intact, tail zero"
msg_data_bad:   .asciz "payload: data corrupted"
msg_regions:    .asciz "payload: regions "
msg_region:     .asciz "payload: region "
msg_plus:       .asciz " +"
msg_type:       .asciz " type "
msg_covered:    .asciz "payload: segments in usable regions"
msg_uncovered:  .asciz "payload: segment not in a usable region: "
msg_ident_ok:   .asciz "payload: usable RAM identity-mapped"
msg_ident_bad:  .asciz "payload: not identity-mapped: "
msg_eol:        .asciz "\r\n"

        .balign 0x8, 0x0
saved:          .skip 0x78
entry_rsp:      .quad 0x0
entry_rflags:   .quad 0x0
        .balign 0x10, 0x0
stack:          .skip 0x400
stack_top:
