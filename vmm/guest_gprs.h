/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest general registers that neither the VMCB (SVM: RAX, RSP) nor the VMCS (VMX: RSP)
 * holds, kept in memory by the entry code of both back ends: one layout, one load sequence and
 * one save sequence. SVM leaves the rax slot unused (VMRUN switches RAX through the VMCB).
 */
#ifndef NESTOR_VMM_GUEST_GPRS_H
#define NESTOR_VMM_GUEST_GPRS_H

#define GPRS_RAX 0
#define GPRS_RBX 8
#define GPRS_RCX 16
#define GPRS_RDX 24
#define GPRS_RSI 32
#define GPRS_RDI 40
#define GPRS_RBP 48
#define GPRS_R8  56
#define GPRS_R9  64
#define GPRS_R10 72
#define GPRS_R11 80
#define GPRS_R12 88
#define GPRS_R13 96
#define GPRS_R14 104
#define GPRS_R15 112

#ifdef __ASSEMBLY__

/* Loads every guest GPR but RAX from the struct at %rax (which stays the base). */
.macro GUEST_GPRS_LOAD_BUT_RAX
    movq GPRS_RBX(%rax), %rbx
    movq GPRS_RCX(%rax), %rcx
    movq GPRS_RDX(%rax), %rdx
    movq GPRS_RSI(%rax), %rsi
    movq GPRS_RDI(%rax), %rdi
    movq GPRS_RBP(%rax), %rbp
    movq GPRS_R8(%rax), %r8
    movq GPRS_R9(%rax), %r9
    movq GPRS_R10(%rax), %r10
    movq GPRS_R11(%rax), %r11
    movq GPRS_R12(%rax), %r12
    movq GPRS_R13(%rax), %r13
    movq GPRS_R14(%rax), %r14
    movq GPRS_R15(%rax), %r15
.endm

/* Stores every guest GPR but RAX into the struct at %rax. */
.macro GUEST_GPRS_SAVE_BUT_RAX
    movq %rbx, GPRS_RBX(%rax)
    movq %rcx, GPRS_RCX(%rax)
    movq %rdx, GPRS_RDX(%rax)
    movq %rsi, GPRS_RSI(%rax)
    movq %rdi, GPRS_RDI(%rax)
    movq %rbp, GPRS_RBP(%rax)
    movq %r8, GPRS_R8(%rax)
    movq %r9, GPRS_R9(%rax)
    movq %r10, GPRS_R10(%rax)
    movq %r11, GPRS_R11(%rax)
    movq %r12, GPRS_R12(%rax)
    movq %r13, GPRS_R13(%rax)
    movq %r14, GPRS_R14(%rax)
    movq %r15, GPRS_R15(%rax)
.endm

#else

#include <stddef.h>
#include <stdint.h>

struct guest_gprs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

_Static_assert(offsetof(struct guest_gprs, rax) == GPRS_RAX && offsetof(struct guest_gprs, rsi) == GPRS_RSI &&
                   offsetof(struct guest_gprs, rbp) == GPRS_RBP && offsetof(struct guest_gprs, r8) == GPRS_R8 &&
                   offsetof(struct guest_gprs, r15) == GPRS_R15,
               "GPRS_* offsets used by the entry code");

#endif
#endif
