// x86_64-multiboot.s: the QEMU test shim. QEMU's -kernel loads it as a Multiboot v1
// flat image (a.out kludge) at 1 MiB; the segments are already in RAM (QEMU's
// generic loader put them there). It checks them against the real e820 map and their
// build-time checksums, writes that map into the handoff block, and enters the blob in
// the state Linux's relocate_kernel_64.S leaves: long mode, identity map, CR4 = PAE,
// CS = 0x10, RFLAGS = 0 (reads 0x2), every GPR but rsp zero.
//
// The TypeScript builder (generator/qemu/x86_64.ts) prepends these equates:
//   PD_PAGES (GiB of identity map), MAP_LIMIT (its end), ENTRY, HANDOFF, SEG_COUNT,
//   LA57 (1: enter with 5-level paging, as a kernel running with LA57 kexecs)
// and appends `seg_table`: per segment .quad addr, size, file size, checksum.
// keystone reads bare decimals as hex: every number of two or more digits is 0x-hex.

        .equ    MB_MAGIC, 0x1badb002            // Multiboot v1 header magic
        .equ    MB_FLAGS, 0x00010002            // bit 1 memory info, bit 16 address fields
        .equ    MB_BOOT_MAGIC, 0x2badb002       // eax at entry from a Multiboot loader
        .equ    CODE32, 0x08
        .equ    CODE64, 0x10                    // Linux's __KERNEL_CS
        .equ    DATA, 0x18                      // Linux's __KERNEL_DS
        .equ    BSS_PDPT, 0x1000                // bss: PML4 @0, PDPT, PDs, then the stack
        .equ    BSS_PD, 0x2000
        .equ    BSS_PML5, (PD_PAGES + 0x2) * 0x1000     // LA57: one PML5 page above the PDs
        .equ    BSS_STACK_TOP, (PD_PAGES + 0x4) * 0x1000
        .equ    COM1, 0x3f8
        .equ    EXIT_PORT, 0xf4                 // isa-debug-exit: QEMU exits (v << 1) | 1
        .equ    EXIT_FAIL, 0x7f

        .code32
mb_header:
        .long   MB_MAGIC
        .long   MB_FLAGS
        .long   -(MB_MAGIC + MB_FLAGS)          // checksum: the three sum to 0
        .long   mb_header                       // header_addr
        .long   mb_header                       // load_addr: the file starts here
        .long   image_end                       // load_end_addr
        .long   image_end + BSS_STACK_TOP       // bss_end_addr: page tables and stack
        .long   entry32                         // entry_addr

// Protected mode, paging off, eax = boot magic, ebx = Multiboot info; the loader's
// GDT may be anywhere, so load ours before touching a segment register.
entry32:
        cli
        cld
        movl    %eax, %ebp                      // boot magic, checked in long mode
        lgdt    gdt_ptr
        .byte   0xea                            // ljmp $CODE32, $flat32, by hand: keystone
        .long   flat32                          // rejects ljmp, and ljmpl empties the
        .word   CODE32                          // whole unit without an error
flat32:
        movl    $DATA, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %fs
        movl    %eax, %gs
        movl    %eax, %ss
        movl    $image_end + BSS_STACK_TOP, %esp
        movl    $image_end, %edi                // zero PML4 and PDPT
        movl    $0x800, %ecx
        xorl    %eax, %eax
        rep stosl
        movl    $image_end + BSS_PDPT + 0x3, image_end  // PML4[0] = PDPT | P | RW
        movl    $image_end + BSS_PDPT, %edi
        movl    $image_end + BSS_PD + 0x3, %eax
        movl    $PD_PAGES, %ecx
pdpt_fill:
        movl    %eax, (%edi)                    // PDPT[i] = PD page i | P | RW
        addl    $0x1000, %eax
        addl    $0x8, %edi
        decl    %ecx
        jnz     pdpt_fill
        movl    $image_end + BSS_PD, %edi
        movl    $0x83, %eax                     // 2 MiB page 0 | PS | RW | P
        xorl    %edx, %edx                      // address bits 63:32
        movl    $PD_PAGES * 0x200, %ecx
pd_fill:
        movl    %eax, (%edi)
        movl    %edx, 0x4(%edi)
        addl    $0x200000, %eax                 // next 2 MiB, carrying into bits 63:32
        adcl    $0x0, %edx
        addl    $0x8, %edi
        decl    %ecx
        jnz     pd_fill
        movl    $0x20, %edx                     // CR4 = PAE, nothing else
        movl    $image_end, %esi                // CR3 = the PML4
        movl    $LA57, %eax
        testl   %eax, %eax
        jz      paging_on
        movl    $image_end + BSS_PML5, %edi     // 5 levels: a PML5 whose entry 0 is the PML4
        movl    $0x400, %ecx
        xorl    %eax, %eax
        rep stosl
        movl    $image_end + 0x3, image_end + BSS_PML5
        movl    $image_end + BSS_PML5, %esi
        orl     $0x1000, %edx                   // CR4.LA57, settable only with paging off
paging_on:
        movl    %edx, %cr4
        movl    %esi, %cr3
        movl    $0xc0000080, %ecx               // EFER = LME; LMA follows with paging
        movl    $0x100, %eax
        xorl    %edx, %edx
        wrmsr
        movl    $0x80000031, %eax               // CR0 = PG | NE | ET | PE
        movl    %eax, %cr0
        .byte   0xea                            // ljmp $CODE64, $entry64
        .long   entry64
        .word   CODE64

        .balign 0x8, 0x0
gdt:
        .quad   0x0
        .quad   0x00cf9a000000ffff              // 0x08: 32-bit code
        .quad   0x00af9a000000ffff              // 0x10: 64-bit code
        .quad   0x00cf92000000ffff              // 0x18: data
gdt_end:
gdt_ptr:
        .word   gdt_end - gdt - 0x1
        .long   gdt

        .code64
// Long mode on the identity map. rbx = Multiboot info, rbp = boot magic.
entry64:
        movl    %ebx, %ebx                      // zero-extend: upper halves are undefined
        movl    %ebp, %ebp
        call    load_idt
        lea     msg_eol(%rip), %rsi             // SeaBIOS leaves "Booting from ROM.." unended
        call    puts
        cmpl    $MB_BOOT_MAGIC, %ebp
        jne     fail_magic
        testl   $0x40, (%rbx)                   // flags bit 6: mmap_addr/length valid
        jz      fail_magic
        call    check_ram_mapped
        call    check_segments
        call    fill_regions
        call    find_tables
        lea     msg_entering(%rip), %rsi
        call    puts
        movabsq $ENTRY, %rax
        call    puthex
        lea     msg_handoff(%rip), %rsi
        call    puts
        movabsq $HANDOFF, %rax
        call    puthex
        lea     msg_eol(%rip), %rsi
        call    puts
// Enter the blob as relocate_kernel_64.S does: ret to the entry with every GPR but
// rsp zero; the popfq clears the flags the xors set, so RFLAGS reads 0x2.
        movabsq $ENTRY, %rax
        pushq   %rax                            // popped by ret
        pushq   $0x0                            // popped into RFLAGS
        xorl    %eax, %eax
        xorl    %ebx, %ebx
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        popfq
        ret

// mmap_first: rsi = first Multiboot mmap entry, r8 = end of the map.
// Entries are {u32 size, u64 base, u64 length, u32 type}; size excludes itself.
mmap_first:
        movl    0x30(%rbx), %esi                // mmap_addr
        movl    0x2c(%rbx), %r8d                // mmap_length
        addq    %rsi, %r8
        ret

// mmap_next: advances rsi to the next entry. Clobbers rax.
mmap_next:
        movl    (%rsi), %eax
        leaq    0x4(%rsi, %rax), %rsi
        ret

// check_ram_mapped: fails unless every usable entry lies below MAP_LIMIT.
check_ram_mapped:
        call    mmap_first
ram_loop:
        cmpq    %r8, %rsi
        jae     ram_done
        cmpl    $0x1, 0x14(%rsi)
        jne     ram_next
        movq    0x4(%rsi), %rax
        addq    0xc(%rsi), %rax
        movabsq $MAP_LIMIT, %rcx
        cmpq    %rcx, %rax
        ja      fail_unmapped
ram_next:
        call    mmap_next
        jmp     ram_loop
ram_done:
        ret

// check_segments: each segment must lie in one usable entry and still hold the bytes
// QEMU's loader put there (SeaBIOS uses RAM it later reports usable); then the part
// past the file is zeroed, as kexec does.
check_segments:
        lea     seg_table(%rip), %r12
        movq    $SEG_COUNT, %r13
seg_loop:
        testq   %r13, %r13
        jz      seg_done
        call    seg_usable
        testl   %eax, %eax
        jz      fail_not_usable
        call    seg_checksum
        cmpl    0x18(%r12), %eax
        jne     fail_overwritten
        movq    (%r12), %rdi                    // zero [addr + file size, addr + size)
        addq    0x10(%r12), %rdi
        movq    0x8(%r12), %rcx
        subq    0x10(%r12), %rcx
        xorl    %eax, %eax
        rep stosb
        addq    $0x20, %r12
        decq    %r13
        jmp     seg_loop
seg_done:
        ret

// seg_usable: r12 = segment entry. eax = 1 if one usable mmap entry holds it.
seg_usable:
        call    mmap_first
        movq    (%r12), %r9                     // r9, r10 = segment start, end
        movq    %r9, %r10
        addq    0x8(%r12), %r10
usable_loop:
        cmpq    %r8, %rsi
        jae     usable_no
        cmpl    $0x1, 0x14(%rsi)
        jne     usable_next
        movq    0x4(%rsi), %rax
        cmpq    %rax, %r9
        jb      usable_next
        addq    0xc(%rsi), %rax
        cmpq    %rax, %r10
        jbe     usable_yes
usable_next:
        call    mmap_next
        jmp     usable_loop
usable_yes:
        movl    $0x1, %eax
        ret
usable_no:
        xorl    %eax, %eax
        ret

// seg_checksum: r12 = segment entry. eax = h over the file bytes: for each u32 word w,
// h = rol(h, 5) + w; then the same for each trailing byte.
seg_checksum:
        movq    (%r12), %rsi
        movq    0x10(%r12), %rcx
        xorl    %edx, %edx
sum_words:
        cmpq    $0x4, %rcx
        jb      sum_bytes
        lodsl
        roll    $0x5, %edx
        addl    %eax, %edx
        subq    $0x4, %rcx
        jmp     sum_words
sum_bytes:
        testq   %rcx, %rcx
        jz      sum_done
        movzbl  (%rsi), %eax
        incq    %rsi
        roll    $0x5, %edx
        addl    %eax, %edx
        decq    %rcx
        jmp     sum_bytes
sum_done:
        movl    %edx, %eax
        ret

// fill_regions: the handoff block's region list = the real map, up to region_max.
fill_regions:
        movabsq $HANDOFF, %r12
        movl    0xb4(%r12), %r13d               // region_max
        movq    0xb8(%r12), %rdi                // regions_offset
        addq    %r12, %rdi
        xorl    %r14d, %r14d                    // entries written
        call    mmap_first
fill_loop:
        cmpq    %r8, %rsi
        jae     fill_done
        cmpl    %r13d, %r14d
        jae     fill_done
        movq    0x4(%rsi), %rax
        movq    %rax, (%rdi)                    // base
        movq    0xc(%rsi), %rax
        movq    %rax, 0x8(%rdi)                 // size
        movl    0x14(%rsi), %eax
        movl    %eax, 0x10(%rdi)                // type, same numbering as e820
        movl    $0x0, 0x14(%rdi)                // flags
        addq    $0x18, %rdi
        incl    %r14d
        call    mmap_next
        jmp     fill_loop
fill_done:
        movl    %r14d, 0xb0(%r12)               // region_count
        ret

// find_tables: the ACPI RSDP and the SMBIOS entry point, where a BIOS keeps them (a
// 16-byte aligned scan of 0xe0000-0xfffff), into the handoff block unless the loader
// already gave them. The blob publishes them as EFI configuration tables.
find_tables:
        movabsq $HANDOFF, %r12
        movl    $0xe0000, %esi
        movabsq $0x2052545020445352, %rdx       // "RSD PTR "
find_rsdp:
        cmpq    %rdx, (%rsi)
        jne     find_rsdp_next
        xorl    %eax, %eax                      // the first 20 bytes sum to 0
        xorl    %ecx, %ecx
rsdp_sum:
        addb    (%rsi,%rcx), %al
        incl    %ecx
        cmpl    $0x14, %ecx
        jb      rsdp_sum
        testb   %al, %al
        jnz     find_rsdp_next
        cmpq    $0x0, 0x58(%r12)                // acpi_rsdp
        jne     find_smbios_start
        movq    %rsi, 0x58(%r12)
        jmp     find_smbios_start
find_rsdp_next:
        addl    $0x10, %esi
        cmpl    $0x100000, %esi
        jb      find_rsdp
find_smbios_start:
        movl    $0xf0000, %esi
find_smbios:
        cmpl    $0x334d535f, (%rsi)             // "_SM3" (then "_")
        jne     find_smbios2
        cmpb    $0x5f, 0x4(%rsi)
        je      found_smbios
find_smbios2:
        cmpl    $0x5f4d535f, (%rsi)             // "_SM_"
        je      found_smbios
        addl    $0x10, %esi
        cmpl    $0x100000, %esi
        jb      find_smbios
        ret
found_smbios:
        cmpq    $0x0, 0x60(%r12)                // smbios
        jne     find_done
        movq    %rsi, 0x60(%r12)
find_done:
        ret

// load_idt: all 32 exception vectors go to `exception`, so a blob that faults before
// loading its own IDT says so instead of triple-faulting into a silent QEMU exit.
load_idt:
        lea     exception(%rip), %rax
        movq    %rax, %rcx
        andl    $0xffff, %ecx                   // offset 15:0
        orl     $CODE64 * 0x10000, %ecx         // selector
        movq    %rax, %rdx
        shrq    $0x10, %rdx
        shlq    $0x30, %rdx                     // offset 31:16 in bits 63:48
        orq     %rdx, %rcx
        movabsq $0x00008e0000000000, %rdx       // present 64-bit interrupt gate, DPL 0
        orq     %rdx, %rcx
        shrq    $0x20, %rax                     // offset 63:32 in the high quad
        lea     idt(%rip), %rdi
        movl    $0x20, %r8d
idt_fill:
        movq    %rcx, (%rdi)
        movq    %rax, 0x8(%rdi)
        addq    $0x10, %rdi
        decl    %r8d
        jnz     idt_fill
        lidt    idt_ptr(%rip)
        ret

// exception: prints the top three stack words (rip, cs, rflags, or an error code
// first) and fails.
exception:
        movq    %rsp, %rbx
        lea     msg_exception(%rip), %rsi
        call    puts
        movq    (%rbx), %rax
        call    puthex
        call    putspace
        movq    0x8(%rbx), %rax
        call    puthex
        call    putspace
        movq    0x10(%rbx), %rax
        call    puthex
        jmp     fail_eol

fail_magic:
        lea     msg_magic(%rip), %rsi
        call    puts
        jmp     fail_eol

fail_unmapped:
        movq    %rsi, %rbx
        lea     msg_ram(%rip), %rsi
        call    puts
        movq    0x4(%rbx), %rax
        call    puthex
        call    putplus
        movq    0xc(%rbx), %rax
        call    puthex
        lea     msg_unmapped(%rip), %rsi
        call    puts
        jmp     fail_eol

fail_not_usable:
        lea     msg_not_usable(%rip), %rbx
        jmp     fail_segment
fail_overwritten:
        lea     msg_overwritten(%rip), %rbx
// fail_segment: r12 = segment entry, rbx = the end of the sentence.
fail_segment:
        lea     msg_segment(%rip), %rsi
        call    puts
        movq    (%r12), %rax
        call    puthex
        call    putplus
        movq    0x8(%r12), %rax
        call    puthex
        movq    %rbx, %rsi
        call    puts
fail_eol:
        lea     msg_eol(%rip), %rsi
        call    puts
        movl    $EXIT_FAIL, %eax
        outl    %eax, $EXIT_PORT
halt:
        cli
        hlt
        jmp     halt

putspace:
        movb    $0x20, %al
        jmp     putc
putplus:
        lea     msg_plus(%rip), %rsi
        jmp     puts                            // puts lives in com1.s

msg_entering:   .asciz "qemu-shim: entering "
msg_handoff:    .asciz " handoff="
msg_eol:        .asciz "\r\n"
msg_plus:       .asciz " +"
msg_segment:    .asciz "qemu-shim: segment "
msg_not_usable: .asciz " is not in usable RAM"
msg_overwritten: .asciz " was overwritten before the shim ran (checksum mismatch)"
msg_ram:        .asciz "qemu-shim: usable RAM "
msg_unmapped:   .asciz " is beyond the identity map"
msg_magic:      .asciz "qemu-shim: not started by a Multiboot loader with a memory map"
msg_exception:  .asciz "qemu-shim: CPU exception before the blob loaded its own IDT; stack "

        .balign 0x10, 0x0
idt:
        .skip   0x200                           // 32 gates of 16 bytes
idt_ptr:
        .word   0x1ff
        .quad   idt
// The builder appends seg_table, then `.balign 0x1000, 0x0` and `image_end:`, where
// the bss (page tables, stack) starts.
