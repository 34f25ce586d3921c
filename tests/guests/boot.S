/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-guest entry (Multiboot Specification 0.6.96 3.1 header, ELF32: no address fields),
 * its own GDT and IDT, and fault probes: small functions that run one instruction and
 * return the vector of the exception it raised, or -1.
 */
#define MB1_MAGIC  0x1BADB002
#define MB1_FLAGS  0x00000003 /* page-aligned modules, memory information */
#define CODE_SEL   0x08
#define DATA_SEL   0x10
#define STACK_SIZE 16384

    .section .multiboot, "a"
    .align 4
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .text
    .global guest_start
guest_start:
    cli
    movl $stack_top, %esp
    pushl %ebx                          /* boot information */
    pushl %eax                          /* loader magic */
    lgdt gdt_ptr                        /* the loader's GDT is undefined (3.2) */
    ljmp $CODE_SEL, $1f
1:  movw $DATA_SEL, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    movw %cx, %ss
    call idt_setup
    call guest_main                     /* (magic, info) */
2:  hlt
    jmp 2b

/* Interrupt gates for #UD (6) and #GP (13): record the vector, resume at fault_resume. */
idt_setup:
    movl $isr_ud, %eax
    movl $(6 * 8), %edx
    call set_gate
    movl $isr_gp, %eax
    movl $(13 * 8), %edx
    call set_gate
    lidt idt_ptr
    ret

set_gate:                               /* EAX handler, EDX offset in the IDT */
    movw %ax, idt(%edx)
    movw $CODE_SEL, idt + 2(%edx)
    movw $0x8E00, idt + 4(%edx)         /* present, DPL 0, 32-bit interrupt gate */
    shrl $16, %eax
    movw %ax, idt + 6(%edx)
    ret

isr_ud:
    movl $6, fault_vector
    jmp 3f
isr_gp:
    movl $13, fault_vector
    movl (%esp), %eax                   /* error code */
    movl %eax, fault_error
    addl $4, %esp
3:  movl fault_resume, %eax
    movl %eax, (%esp)                   /* the saved EIP */
    iret

/* int probe_vmmcall(void) */
    .global probe_vmmcall
probe_vmmcall:
    movl $-1, fault_vector
    movl $4f, fault_resume
    vmmcall
4:  movl fault_vector, %eax
    ret

/* int probe_rdmsr(uint32_t msr, uint64_t *value) */
    .global probe_rdmsr
probe_rdmsr:
    movl $-1, fault_vector
    movl $5f, fault_resume
    movl 4(%esp), %ecx
    xorl %eax, %eax
    xorl %edx, %edx
    rdmsr
5:  movl 8(%esp), %ecx
    movl %eax, (%ecx)
    movl %edx, 4(%ecx)
    movl fault_vector, %eax
    ret

/* int probe_wrmsr(uint32_t msr, uint32_t lo, uint32_t hi) */
    .global probe_wrmsr
probe_wrmsr:
    movl $-1, fault_vector
    movl $6f, fault_resume
    movl 4(%esp), %ecx
    movl 8(%esp), %eax
    movl 12(%esp), %edx
    wrmsr
6:  movl fault_vector, %eax
    ret

    .data
    .align 8
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF            /* 0x08: flat 32-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: flat data */
gdt_end:
gdt_ptr:
    .short gdt_end - gdt - 1
    .long gdt
    .align 8
idt_ptr:
    .short 32 * 8 - 1
    .long idt
    .global fault_vector, fault_error
fault_vector: .long -1
fault_error: .long 0
fault_resume: .long 0

    .bss
    .align 16
idt:
    .skip 32 * 8
stack:
    .skip STACK_SIZE
stack_top:
