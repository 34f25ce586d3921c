/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny Multiboot1 guest (a.out-kludge fields, flat binary at 1 MiB) for the Bochs
 * scenario vmx-probe-guest. With its own GDT and IDT it checks:
 *   - event injection: VMCALL exits and comes back as #UD (no error code, EIP at VMCALL);
 *     RDMSR of an MSR outside the allow-list comes back as #GP with error code 0;
 *   - EPT violations reaching the MMIO emulation: the emulated LAPIC's version register,
 *     and its TPR written and read back;
 *   - a read of GPA 0x20000000, beyond its 8 MiB of RAM and every device: the VM must stop
 *     there, so the debug-exit write after it never happens.
 * Built by tests/bochs/run.sh: gcc -m32 -c, ld -m elf_i386 -Ttext=0x100000 --oformat binary.
 */
#define MB1_MAGIC   0x1BADB002
#define MB1_FLAGS   0x00010000 /* address fields valid */
#define BASE        0x100000
#define G(sym)      (BASE + ((sym) - start))
#define COM1        0x3F8
#define LAPIC       0xFEE00000
#define LAPIC_VER   0x30
#define LAPIC_TPR   0x80
#define OUTSIDE_RAM 0x20000000
#define CODE_SEL    0x08
#define DATA_SEL    0x10
#define UNLISTED_MSR 0xC0001234

    .text
    .code32
    .global start
start:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long G(start)                  /* header_addr */
    .long G(start)                  /* load_addr */
    .long 0                         /* load_end_addr: the whole file */
    .long 0                         /* bss_end_addr */
    .long G(entry)                  /* entry_addr */
entry:
    movl $0x90000, %esp
    lgdt G(gdtr)
    ljmp $CODE_SEL, $G(1f)
1:  movw $DATA_SEL, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    /* IDT gates for #UD (6) and #GP (13): 32-bit interrupt gates, DPL 0. */
    movl $G(ud_handler), %eax
    movl $G(idt) + 6 * 8, %edi
    call set_gate
    movl $G(gp_handler), %eax
    movl $G(idt) + 13 * 8, %edi
    call set_gate
    lidt G(idtr)

vmcall_insn:
    vmcall                          /* #UD: the handler prints and skips it */
    movl $UNLISTED_MSR, %ecx
rdmsr_insn:
    rdmsr                           /* #GP(0): the handler prints and skips it */

    movl $G(msg_ver), %esi
    movl LAPIC + LAPIC_VER, %eax
    call print_hex
    movl $0x20, %ecx
    movl %ecx, LAPIC + LAPIC_TPR
    movl $G(msg_tpr), %esi
    movl LAPIC + LAPIC_TPR, %eax
    call print_hex
    movl $G(msg_outside), %esi
    call puts
    movl OUTSIDE_RAM, %eax
    movb $0x11, %al                 /* not reached: the VM stops at the read */
    outb %al, $0xF4
2:  hlt
    jmp 2b

set_gate:                           /* EAX: handler, EDI: gate */
    movw %ax, (%edi)
    movw $CODE_SEL, 2(%edi)
    movw $0x8E00, 4(%edi)           /* present, DPL 0, 32-bit interrupt gate */
    shrl $16, %eax
    movw %ax, 6(%edi)
    ret

ud_handler:                         /* no error code; the saved EIP is the faulting instruction */
    movl $G(msg_ud), %esi
    movl (%esp), %eax
    call print_hex
    addl $3, (%esp)                 /* VMCALL is 3 bytes */
    iret

gp_handler:                         /* error code on top, then EIP */
    movl $G(msg_gp), %esi
    movl (%esp), %eax
    call print_hex
    movl $G(msg_gp_eip), %esi
    movl 4(%esp), %eax
    call print_hex
    addl $4, %esp
    addl $2, (%esp)                 /* RDMSR is 2 bytes */
    iret

puts:                               /* ESI: NUL-terminated string */
    movw $COM1, %dx
3:  lodsb
    testb %al, %al
    jz 4f
    outb %al, %dx
    jmp 3b
4:  ret

print_hex:                          /* ESI: label, EAX: value; prints "label%08x\n" */
    pushl %ebx
    pushl %ecx
    movl %eax, %ebx
    call puts
    movl $8, %ecx
5:  roll $4, %ebx
    movl %ebx, %eax
    andl $0xF, %eax
    movb G(digits)(%eax), %al
    outb %al, %dx
    loop 5b
    movb $'\n', %al
    outb %al, %dx
    popl %ecx
    popl %ebx
    ret

    .align 8
gdt:
    .quad 0
    .quad 0x00CF9B000000FFFF        /* 0x08: flat 32-bit code */
    .quad 0x00CF93000000FFFF        /* 0x10: flat 32-bit data */
gdtr:
    .word 3 * 8 - 1
    .long G(gdt)
    .align 8
idt:
    .fill 32, 8, 0
idtr:
    .word 32 * 8 - 1
    .long G(idt)

digits:      .ascii "0123456789abcdef"
msg_ud:      .asciz "event: #UD at eip 0x"
msg_gp:      .asciz "event: #GP error code 0x"
msg_gp_eip:  .asciz "event: #GP at eip 0x"
msg_ver:     .asciz "mmio: lapic version 0x"
msg_tpr:     .asciz "mmio: lapic tpr 0x"
msg_outside: .asciz "mmio: reading outside RAM\n"
