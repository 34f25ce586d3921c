/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 256 interrupt entry stubs. Each pushes an error code (a dummy 0 where the CPU
 * pushes none, SDM vol. 3 table 6-1) and its vector, then isr_common saves the
 * general registers so that the stack holds a struct irq_frame, links a frame
 * record (interrupted rbp, rip) so backtraces continue into the interrupted code,
 * and calls irq_dispatch(frame).
 * Alignment: the CPU aligns RSP to 16 before pushing its 5 words (SDM 6.14.2);
 * 2 + 15 + 2 more words keep it 16-byte aligned at the call.
 */
#include "kernel/cpu/isr.h"

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                           (v) == 29 || (v) == 30)

    .section .rodata.isr_stub_table, "a"
    .balign 8
    .global isr_stub_table
isr_stub_table:

    .text
    .balign 16
isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    pushq IRQ_FRAME_RIP(%rdi)
    pushq IRQ_FRAME_RBP(%rdi)
    movq %rsp, %rbp
    call irq_dispatch
    addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rbp
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                      /* vector and error code */
    iretq

    .set vector, 0
    .rept IDT_VECTORS
    .balign 16
1:
    .if !HAS_ERROR_CODE(vector)
    pushq $0
    .endif
    pushq $vector
    jmp isr_common
    .pushsection .rodata.isr_stub_table, "a"
    .quad 1b
    .popsection
    .set vector, vector + 1
    .endr

    .section .note.GNU-stack, "", @progbits
