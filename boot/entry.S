/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 32-bit entry from a multiboot loader (EAX = magic, EBX = boot info, flat
 * protected mode, paging off) to 64-bit long mode, then kmain(magic, info).
 * Boot page tables identity-map the first 4 GiB with 2 MiB pages; the host
 * paging code replaces them once the memory map is known.
 */
#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)
#define PTE_P_RW        0x3
#define PDE_2M          0x83
#define COM1            0x3F8
#define BOOT_STACK_SIZE 16384

    .section .text.boot, "ax"
    .code32
    .global _start32
_start32:
    cli
    cld
    movl %eax, %ebp                     /* multiboot magic */
    movl %ebx, %esi                     /* boot information */

    movl $__bss_start, %edi             /* clear BSS (stack and tables live there) */
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    movl $boot_stack_top, %esp

    movl $0x80000000, %eax              /* long mode available? */
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode

    movl $boot_pdpt, %eax               /* PML4[0] -> PDPT */
    orl $PTE_P_RW, %eax
    movl %eax, boot_pml4

    xorl %ecx, %ecx                     /* PDPT[0..3] -> PD[0..3] */
1:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd, %eax
    orl $PTE_P_RW, %eax
    movl %eax, boot_pdpt(,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jb 1b

    xorl %ecx, %ecx                     /* 2048 PDEs of 2 MiB: 0..4 GiB */
2:  movl %ecx, %eax
    shll $21, %eax
    orl $PDE_2M, %eax
    movl %eax, boot_pd(,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, boot_pd+4(,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jb 2b

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_PE | CR0_WP), %eax
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $start64

no_long_mode:
    movl $msg_no_lm, %esi
3:  lodsb
    testb %al, %al
    jz 5f
    movb %al, %bl
    movw $COM1 + 5, %dx                 /* wait for THR empty */
4:  inb %dx, %al
    testb $0x20, %al
    jz 4b
    movw $COM1, %dx
    movb %bl, %al
    outb %al, %dx
    jmp 3b
5:  hlt
    jmp 5b

    .code64
start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movq $boot_stack_top, %rsp
    movl %ebp, %edi                     /* zero-extended magic */
    movl %esi, %esi                     /* zero-extended info address */
    xorq %rbp, %rbp                     /* ends the backtrace chain */
    call kmain
6:  cli
    hlt
    jmp 6b

    .section .rodata
msg_no_lm:
    .asciz "nestor: this CPU has no long mode (x86_64); stopping\r\n"

    .align 16
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss
    .align 4096
    .global boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:
