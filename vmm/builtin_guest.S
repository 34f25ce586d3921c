/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The built-in guest for `selftest=svm`: a Multiboot1 image with the a.out-kludge address
 * fields (so the ordinary guest loader places it at 1 MiB). 32-bit code: prints
 * "hello from guest" and the hypervisor signature from CPUID 0x40000000 on COM1, then
 * writes 0x10 to isa-debug-exit. Kept as data in Nestor's image.
 */
#define MB1_MAGIC      0x1BADB002
#define MB1_FLAGS      0x00010000 /* address fields valid */
#define GUEST_BASE     0x100000
#define G(sym)         (GUEST_BASE + ((sym) - builtin_guest_start))
#define COM1           0x3F8
#define DEBUG_EXIT     0xF4

    .section .rodata
    .align 16
    .global builtin_guest_start, builtin_guest_end
builtin_guest_start:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long G(builtin_guest_start)        /* header_addr */
    .long G(builtin_guest_start)        /* load_addr */
    .long 0                             /* load_end_addr: the whole file */
    .long 0                             /* bss_end_addr: none */
    .long G(guest_entry)                /* entry_addr */

    .code32
guest_entry:
    movl $0x90000, %esp                 /* multiboot leaves ESP undefined */
    movl $G(guest_hello), %esi
    call guest_puts
    movl $0x40000000, %eax
    cpuid
    movl %ebx, G(guest_sig)
    movl %ecx, G(guest_sig) + 4
    movl %edx, G(guest_sig) + 8
    movl $G(guest_cpuid), %esi
    call guest_puts
    movb $0x10, %al
    outb %al, $DEBUG_EXIT
1:  hlt
    jmp 1b

guest_puts:                             /* ESI: NUL-terminated string */
    movw $COM1, %dx
2:  lodsb
    testb %al, %al
    jz 3f
    outb %al, %dx
    jmp 2b
3:  ret

guest_hello:
    .asciz "hello from guest\n"
guest_cpuid:
    .ascii "cpuid: "
guest_sig:
    .ascii "????????????"
    .asciz "\n"
    .code64
builtin_guest_end:
