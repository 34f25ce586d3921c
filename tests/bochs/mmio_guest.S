/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny Multiboot1 guest (a.out-kludge fields, flat binary at 1 MiB) for the Bochs
 * scenario vmx-ept-mmio: guest accesses outside RAM go through EPT violations to the
 * generic NPF exit. It reads the emulated LAPIC's version register, writes and reads back
 * its TPR (MMIO emulation), then reads GPA 0x20000000, beyond its 8 MiB of RAM and every
 * device (the VM must stop there, so the debug-exit write after it never happens).
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
1:  hlt
    jmp 1b

puts:                               /* ESI: NUL-terminated string */
    movw $COM1, %dx
2:  lodsb
    testb %al, %al
    jz 3f
    outb %al, %dx
    jmp 2b
3:  ret

print_hex:                          /* ESI: label, EAX: value; prints "label 0x%08x\n" */
    movl %eax, %ebx
    call puts
    movl $8, %ecx
4:  roll $4, %ebx
    movl %ebx, %eax
    andl $0xF, %eax
    movb G(digits)(%eax), %al
    outb %al, %dx
    loop 4b
    movb $'\n', %al
    outb %al, %dx
    ret

digits:      .ascii "0123456789abcdef"
msg_ver:     .asciz "mmio: lapic version 0x"
msg_tpr:     .asciz "mmio: lapic tpr 0x"
msg_outside: .asciz "mmio: reading outside RAM\n"
